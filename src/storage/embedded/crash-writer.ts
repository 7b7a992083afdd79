/**
 * The child process of the crash test: writes to an embedded store as fast as it can until killed.
 *
 * Protocol on stdout (one line each; a pipe write on Linux is synchronous, so a line written is a line
 * the parent will read even after SIGKILL):
 *   ready <revision>                      once the store is open
 *   try <key> <op> <seq>                  before issuing a write
 *   ack <key> <op> <seq> <revision>       after the write's promise resolved
 * Each of the writers owns its keys and issues one write at a time, so per key at most the last `try`
 * is unacknowledged. Values are `<seq>|<length>|<length x's>`, so a torn value is detectable.
 */
import { createEmbeddedStore } from './embedded-store.ts';

const [dataDir, run] = process.argv.slice(2);
if (!dataDir || !run) throw new Error('usage: crash-writer <dataDir> <run>');

const writers = 20;
const keysPerWriter = 4;
const store = await createEmbeddedStore({ dataDir });
const say = (line: string) => process.stdout.write(`${line}\n`);
say(`ready ${await store.currentRevision()}`);

function crashValue(seq: number, length: number): Uint8Array {
  return new TextEncoder().encode(`${seq}|${length}|${'x'.repeat(length)}`);
}

async function writer(w: number): Promise<void> {
  const revisions = new Map<string, number>();
  for (let seq = 1; ; seq++) {
    const key = `/crash/${run}/w${w}/k${seq % keysPerWriter}`;
    const current = revisions.get(key);
    const op = current === undefined ? 'create' : Math.random() < 0.2 ? 'delete' : 'update';
    const value = crashValue(seq, 100 + Math.floor(Math.random() * 1900));
    say(`try ${key} ${op} ${seq}`);
    const kv =
      op === 'create'
        ? await store.create(key, value)
        : op === 'update'
          ? await store.update(key, value, current as number)
          : await store.delete(key, current);
    if (op === 'delete') revisions.delete(key);
    else revisions.set(key, kv.modRevision);
    say(`ack ${key} ${op} ${seq} ${kv.modRevision}`);
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
