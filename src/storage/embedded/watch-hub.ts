/**
 * Watch fan-out for the embedded store.
 *
 * Watchers share the one event log instead of owning queues: each keeps only a cursor (the last revision
 * it delivered) and, when woken, reads the committed events after it. A write therefore costs one wake-up
 * per watcher, never a copy, and the hub never awaits a consumer. Replay and live delivery are the same
 * loop, so there is no window between "replay history" and "subscribe" in which an event could be lost
 * or doubled.
 *
 * A watcher whose cursor trails the head by more than `bufferLimit` events (or whose unread events were
 * compacted away) fails with WatcherTooSlow on its next step; its client re-lists, as after a 410.
 */
import { StorageError, type StoreEvent, type WatchBatch, type WatchOptions } from '../types.ts';
import type { EventLog } from './event-log.ts';

export interface WatchSource {
  readonly log: EventLog;
  committedRevision(): number;
  compactedRevision(): number;
  isClosed(): boolean;
}

const defaultProgressIntervalMs = 1000;

export class WatchHub {
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly source: WatchSource,
    private readonly bufferLimit: number,
  ) {}

  get watcherCount(): number {
    return this.wakers.size;
  }

  /** New events were committed (or the store is closing): let every watcher look. */
  notify(): void {
    for (const wake of this.wakers) wake();
  }

  watch(prefix: string, afterRevision: number, options: WatchOptions): AsyncIterable<WatchBatch> {
    return this.run(prefix, afterRevision, options);
  }

  private async *run(prefix: string, afterRevision: number, options: WatchOptions): AsyncGenerator<WatchBatch> {
    const { source } = this;
    const { signal } = options;
    const compacted = source.compactedRevision();
    if (afterRevision < compacted)
      throw new StorageError('TooOld', prefix, `revision ${afterRevision} has been compacted`, undefined, compacted);
    if (source.isClosed()) throw new StorageError('Unavailable', prefix, 'store is closed');

    let cursor = afterRevision;
    let woken = false;
    let resume: (() => void) | undefined;
    const wake = () => {
      woken = true;
      const r = resume;
      resume = undefined;
      r?.();
    };
    let isProgressDue = false;
    const progress = setInterval(() => {
      isProgressDue = true;
      wake();
    }, options.progressIntervalMs ?? defaultProgressIntervalMs);
    progress.unref();
    this.wakers.add(wake);
    signal.addEventListener('abort', wake);
    try {
      while (!signal.aborted) {
        if (source.isClosed()) throw new StorageError('Unavailable', prefix, 'store is closed');
        const head = source.committedRevision();
        if (cursor < head) {
          if (head - cursor > this.bufferLimit || cursor < source.log.startRevision)
            throw new StorageError('WatcherTooSlow', prefix, `watcher fell ${head - cursor} events behind`);
          const events: StoreEvent[] = [];
          source.log.forEachBetween(cursor, head, (event) => {
            if (event.kv.key.startsWith(prefix)) events.push(event);
          });
          cursor = head;
          if (events.length > 0) {
            progress.refresh();
            isProgressDue = false;
            yield { events, revision: head };
            continue;
          }
        }
        if (isProgressDue) {
          isProgressDue = false;
          yield { events: [], revision: head };
          continue;
        }
        if (!woken) await new Promise<void>((r) => (resume = r));
        woken = false;
      }
    } finally {
      clearInterval(progress);
      this.wakers.delete(wake);
      signal.removeEventListener('abort', wake);
    }
  }
}
