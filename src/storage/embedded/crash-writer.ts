/**
 * The child process of the crash test: writes to an embedded store as fast as it can until killed.
 *
 * Protocol, one line each, appended with a synchronous write to the journal file (so a line written is
 * in the page cache before the next step and survives SIGKILL; stdout to a pipe can queue in memory):
 *   ready <revision>                      once the store is open (also on stdout)
 *   try <key> <op> <seq>                  before issuing a write
 *   ack <key> <op> <seq> <revision>       after the write's promise resolved (also on stdout, best
 *                                         effort: the parent only counts these to pick when to kill)
 * Each of the writers owns its keys and issues one write at a time, so per key at most the last `try`
 * is unacknowledged. Values are `<seq>|<length>|<length x's>`, so a torn value is detectable.
 */
import { openSync, writeSync } from 'node:fs';
import { createEmbeddedStore } from './embedded-store.ts';

const [dataDir, run, journalPath] = process.argv.slice(2);
if (!dataDir || !run || !journalPath) throw new Error('usage: crash-writer <dataDir> <run> <journal>');
const journal = openSync(journalPath, 'a');

const writers = 20;
const keysPerWriter = 4;
const store = await createEmbeddedStore({ dataDir });
const note = (line: string) => writeSync(journal, `${line}\n`);
const say = (line: string) => {
  note(line);
  process.stdout.write(`${line}\n`);
};
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
    note(`try ${key} ${op} ${seq}`);
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
