/**
 * The in-memory multi-version index: every key's current pair plus the versions still readable.
 *
 * Invariant: for each key, the entry answers every read at a revision >= the compaction point.
 * - Most keys have a single version and are stored as the bare KeyValue (no per-key array): that
 *   version is either at or before the compaction point, or the key's first version (a create), so
 *   "absent before it" is the right answer.
 * - A key written again gets a History of versions in ascending revision order; a delete appends a
 *   Tombstone. `prune` (compaction) collapses it back once older versions can no longer be read.
 *
 * Writes land here before they are durable; readers ask at the committed revision, so they never see
 * them early.
 */
import type { KeyValue } from '../types.ts';
import { OrderedKeys } from './ordered-keys.ts';

class Tombstone {
  constructor(readonly revision: number) {}
}

type Version = KeyValue | Tombstone;

class History {
  constructor(readonly versions: Version[]) {}
}

type Entry = KeyValue | History;

const revisionOf = (version: Version): number =>
  version instanceof Tombstone ? version.revision : version.modRevision;

export class MvccIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly keys = new OrderedKeys((key) => this.entries.has(key));

  /** The newest version of a key, committed or not; undefined when absent or deleted. */
  latest(key: string): KeyValue | undefined {
    const entry = this.entries.get(key);
    if (!(entry instanceof History)) return entry;
    const last = entry.versions.at(-1);
    return last instanceof Tombstone ? undefined : last;
  }

  /** The key as it was at `revision`. */
  readAt(key: string, revision: number): KeyValue | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (!(entry instanceof History)) return entry.modRevision <= revision ? entry : undefined;
    const versions = entry.versions;
    for (let i = versions.length - 1; i >= 0; i--) {
      const version = versions[i] as Version;
      if (revisionOf(version) <= revision) return version instanceof Tombstone ? undefined : version;
    }
    return undefined;
  }

  put(kv: KeyValue): void {
    const entry = this.entries.get(kv.key);
    if (entry === undefined) {
      this.entries.set(kv.key, kv);
      this.keys.add(kv.key);
    } else if (entry instanceof History) entry.versions.push(kv);
    else this.entries.set(kv.key, new History([entry, kv]));
  }

  delete(key: string, revision: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    if (entry instanceof History) entry.versions.push(new Tombstone(revision));
    else this.entries.set(key, new History([entry, new Tombstone(revision)]));
  }

  /** Forget versions of `key` that no read at or after `compactedRevision` can see. */
  prune(key: string, compactedRevision: number): void {
    const entry = this.entries.get(key);
    if (!(entry instanceof History)) return;
    let versions = entry.versions;
    let visibleAtCompaction = -1;
    for (let i = versions.length - 1; i >= 0; i--) {
      if (revisionOf(versions[i] as Version) <= compactedRevision) {
        visibleAtCompaction = i;
        break;
      }
    }
    if (visibleAtCompaction > 0) versions = versions.slice(visibleAtCompaction);
    if (versions[0] instanceof Tombstone && versions[0].revision <= compactedRevision) versions = versions.slice(1);
    const only = versions[0];
    if (only === undefined) {
      this.entries.delete(key);
      this.keys.noteRemoval();
    } else if (versions.length === 1 && !(only instanceof Tombstone)) this.entries.set(key, only);
    else if (versions !== entry.versions) this.entries.set(key, new History(versions));
  }

  /** Pairs under `prefix` as of `revision`, after `after`, at most `limit` (0 or undefined: all). */
  list(prefix: string, revision: number, after?: string, limit?: number): { kvs: KeyValue[]; more: boolean } {
    const kvs: KeyValue[] = [];
    const max = limit !== undefined && limit > 0 ? limit : Number.POSITIVE_INFINITY;
    for (const key of this.keys.range(prefix, after)) {
      const kv = this.readAt(key, revision);
      if (kv === undefined) continue;
      if (kvs.length === max) return { kvs, more: true };
      kvs.push(kv);
    }
    return { kvs, more: false };
  }

  count(prefix: string, revision: number): number {
    let count = 0;
    for (const key of this.keys.range(prefix)) if (this.readAt(key, revision) !== undefined) count++;
    return count;
  }
}
