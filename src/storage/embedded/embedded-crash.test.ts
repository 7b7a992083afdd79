/**
 * Crash test: a child process writes as fast as it can and is SIGKILLed at a random moment; the store
 * reopened afterwards must hold every acknowledged write, nothing torn, and an exact revision counter.
 * The same data dir is reused across rounds, so every round also recovers from the previous crash.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValue } from '../types.ts';
import { createEmbeddedStore } from './embedded-store.ts';

const writerScript = join(dirname(fileURLToPath(import.meta.url)), 'crash-writer.ts');
const rounds = 20;

interface Write {
  key: string;
  op: 'create' | 'update' | 'delete';
  seq: number;
  /** Set once acknowledged. */
  revision?: number;
}

/**
 * Bundles the writer to plain JavaScript once, so each round's child starts in a fraction of the time
 * a TypeScript loader needs; packages stay external, pointed at their absolute installed paths.
 */
async function bundleWriter(outDir: string): Promise<string> {
  const outfile = join(outDir, 'crash-writer.mjs');
  const require = createRequire(import.meta.url);
  await build({
    entryPoints: [writerScript],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
    plugins: [
      {
        name: 'absolute-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('node:') ? { external: true } : { path: require.resolve(args.path), external: true },
          );
        },
      },
    ],
  });
  return outfile;
}

/**
 * Runs the writer until a random number of acks has arrived on stdout (plus a random pause), SIGKILLs
 * it, then reads the truth from its journal file (stdout lines may still sit in the dead child's queue).
 */
async function crashRound(
  writer: string,
  dataDir: string,
  round: number,
): Promise<{ writes: Write[]; startRevision: number }> {
  const journalPath = `${dataDir}-journal-${round}`;
  const child = spawn(process.execPath, [writer, dataDir, String(round), journalPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let acks = 0;
  const killAfterAcks = 10 + Math.floor(Math.random() * 500);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('ack ') && ++acks === killAfterAcks)
      setTimeout(() => child.kill('SIGKILL'), Math.random() * 20);
  }
  await exited;
  const writes = new Map<string, Write>();
  let startRevision = -1;
  for (const line of readFileSync(journalPath, 'utf8').split('\n')) {
    const [kind, a, b, c, d] = line.split(' ');
    if (kind === 'ready') startRevision = Number(a);
    else if (kind === 'try') writes.set(`${a} ${c}`, { key: a!, op: b as Write['op'], seq: Number(c) });
    else if (kind === 'ack') writes.get(`${a} ${c}`)!.revision = Number(d);
  }
  return { writes: [...writes.values()], startRevision };
}

/** What each key of the round may look like now: after its last acked write, or after its one unacked. */
function allowedStates(writes: Write[]): Map<string, { acked?: Write; pending?: Write }> {
  const byKey = new Map<string, { acked?: Write; pending?: Write }>();
  for (const write of writes) {
    const entry = byKey.get(write.key) ?? {};
    if (write.revision !== undefined && (entry.acked === undefined || write.seq > entry.acked.seq)) entry.acked = write;
    if (write.revision === undefined) entry.pending = write;
    byKey.set(write.key, entry);
  }
  return byKey;
}

/** A cheap comparable summary: deep-comparing thousands of byte arrays would dominate the test. */
const fingerprint = (kv: KeyValue) =>
  `${kv.key}@${kv.createRevision}/${kv.modRevision}/${kv.version}#${createHash('sha1').update(kv.value).digest('hex')}`;

function seqOf(kv: KeyValue): number {
  const text = new TextDecoder().decode(kv.value);
  const [seq, length, padding] = text.split('|');
  expect(padding?.length === Number(length) && /^x*$/.test(padding), `torn value under ${kv.key}`).toBe(true);
  return Number(seq);
}

describe('embedded store under SIGKILL', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'wharf-crash-'));
  const dataDir = join(workDir, 'data');
  let writer: string;
  beforeAll(async () => {
    writer = await bundleWriter(workDir);
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it(`keeps every acknowledged write across ${rounds} crashes`, { timeout: 120_000 }, async () => {
    let before: string[] = [];
    let lastRevision = 0;
    for (let round = 0; round < rounds; round++) {
      const { writes, startRevision } = await crashRound(writer, dataDir, round);
      expect(startRevision).toBe(lastRevision);
      const store = await createEmbeddedStore({ dataDir });
      try {
        const revision = await store.currentRevision();
        const acked = writes.filter((w) => w.revision !== undefined);
        expect(acked.length).toBeGreaterThan(0);
        expect(revision).toBeGreaterThanOrEqual(Math.max(...acked.map((w) => w.revision!)));
        // Earlier rounds' keys are exactly as the last recovery left them.
        const earlier = (await store.list('/crash/')).kvs.filter((kv) => !kv.key.startsWith(`/crash/${round}/`));
        expect(earlier.map(fingerprint)).toEqual(before);
        const live = new Map((await store.list(`/crash/${round}/`)).kvs.map((kv) => [kv.key, kv]));
        for (const [key, { acked: last, pending }] of allowedStates(writes)) {
          const kv = live.get(key);
          const seq = kv === undefined ? undefined : seqOf(kv);
          const asAcked = last === undefined ? undefined : last.op === 'delete' ? undefined : last.seq;
          const asPending = pending === undefined ? asAcked : pending.op === 'delete' ? undefined : pending.seq;
          expect([asAcked, asPending], `state of ${key}`).toContain(seq);
          if (kv !== undefined && last !== undefined && seq === last.seq) expect(kv.modRevision).toBe(last.revision);
          if (kv !== undefined) expect(kv.modRevision).toBeLessThanOrEqual(revision);
        }
        before = (await store.list('/crash/')).kvs.map(fingerprint);
        lastRevision = revision;
      } finally {
        await store.close();
      }
    }
  });
});
