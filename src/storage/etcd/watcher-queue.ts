import { StorageError, type WatchBatch } from '../types.ts';

/** What `take` hands back: a batch, a quiet interval (time for a progress notice), or the end. */
export type Taken = { kind: 'batch'; batch: WatchBatch } | { kind: 'idle' } | { kind: 'end' };

/**
 * The buffer between the shared etcd watch (which must never wait for a consumer) and one watcher's
 * async iterator. Live events are bounded: a watcher that falls `maxEvents` behind is failed with
 * `WatcherTooSlow` and told to re-list, as the Kubernetes cacher closes a watcher whose channel is
 * full instead of blocking everyone else. History replayed at the start does not count toward the
 * bound: the watcher asked for it, and it is already in memory.
 */
export class WatcherQueue {
  private readonly batches: { batch: WatchBatch; isReplay: boolean }[] = [];
  private liveEvents = 0;
  private failure: unknown;
  private isEnded = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly maxEvents: number,
    private readonly key: string,
  ) {}

  push(batch: WatchBatch, isReplay = false): void {
    if (this.isEnded || this.failure !== undefined) return;
    this.batches.push({ batch, isReplay });
    if (!isReplay) this.liveEvents += batch.events.length;
    if (this.liveEvents > this.maxEvents) {
      this.fail(new StorageError('WatcherTooSlow', this.key, `watcher fell more than ${this.maxEvents} events behind`));
      return;
    }
    this.notify();
  }

  /** Ends the watch with `err` at once: what is still buffered is useless to a watcher that must re-list. */
  fail(err: unknown): void {
    if (this.isEnded || this.failure !== undefined) return;
    this.failure = err;
    this.batches.length = 0;
    this.notify();
  }

  end(): void {
    this.isEnded = true;
    this.notify();
  }

  get isIdle(): boolean {
    return this.batches.length === 0;
  }

  /** The next batch; `idle` after `idleMs` without one; `end` when ended or aborted. Throws a failure. */
  async take(idleMs: number, signal: AbortSignal): Promise<Taken> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.isEnded || signal.aborted) return { kind: 'end' };
      const next = this.batches.shift();
      if (next) {
        if (!next.isReplay) this.liveEvents -= next.batch.events.length;
        return { kind: 'batch', batch: next.batch };
      }
      const isWoken = await this.waitForPush(idleMs, signal);
      if (!isWoken && this.batches.length === 0 && this.failure === undefined && !this.isEnded && !signal.aborted) {
        return { kind: 'idle' };
      }
    }
  }

  private waitForPush(idleMs: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (isWoken: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        resolve(isWoken);
      };
      const onAbort = (): void => finish(true);
      const timer = setTimeout(() => finish(false), idleMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake = () => finish(true);
    });
  }

  private notify(): void {
    this.wake?.();
  }
}
