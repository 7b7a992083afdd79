/**
 * A work queue with client-go's semantics (util/workqueue): a key waits at most once (`dirty`), and a
 * key being processed is never handed to a second worker (`processing`); adding it meanwhile marks it
 * dirty, and `done` puts it back. So handlers may add freely and reconcile runs once per burst.
 */
import { type Clock, realClock } from './clock.ts';
import { createDefaultRateLimiter, type RateLimiter } from './rate-limiter.ts';

export interface WorkQueue {
  add(key: string): void;
  /** Adds after `ms`; a key already waiting keeps the earlier of the two times. */
  addAfter(key: string, ms: number): void;
  /** Adds after the rate limiter's delay for this key (exponential per key). */
  addRateLimited(key: string): void;
  /** Clears the key's failure count; call after a successful reconcile. */
  forget(key: string): void;
  numRequeues(key: string): number;
  /** Next key, or undefined once shut down. Every key got must be passed to `done`. */
  get(): Promise<string | undefined>;
  done(key: string): void;
  len(): number;
  shutDown(): void;
  isShuttingDown(): boolean;
}

export interface WorkQueueOptions {
  clock?: Clock;
  rateLimiter?: RateLimiter;
}

export function createWorkQueue(options: WorkQueueOptions = {}): WorkQueue {
  const clock = options.clock ?? realClock;
  const limiter = options.rateLimiter ?? createDefaultRateLimiter(clock);
  const queue: string[] = [];
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const waiting = new Map<string, { at: number; cancel: () => void }>();
  const getters: Array<(key: string | undefined) => void> = [];
  let shuttingDown = false;

  function push(key: string) {
    const getter = getters.shift();
    if (getter) {
      processing.add(key);
      dirty.delete(key);
      getter(key);
    } else {
      queue.push(key);
    }
  }

  const q: WorkQueue = {
    add(key) {
      if (shuttingDown || dirty.has(key)) return;
      dirty.add(key);
      if (!processing.has(key)) push(key);
    },
    addAfter(key, ms) {
      if (shuttingDown) return;
      if (ms <= 0) return q.add(key);
      const at = clock.now() + ms;
      const existing = waiting.get(key);
      if (existing && existing.at <= at) return;
      existing?.cancel();
      const cancel = clock.setTimer(() => {
        waiting.delete(key);
        q.add(key);
      }, ms);
      waiting.set(key, { at, cancel });
    },
    addRateLimited: (key) => q.addAfter(key, limiter.when(key)),
    forget: (key) => limiter.forget(key),
    numRequeues: (key) => limiter.numRequeues(key),
    get() {
      const key = queue.shift();
      if (key !== undefined) {
        processing.add(key);
        dirty.delete(key);
        return Promise.resolve(key);
      }
      if (shuttingDown) return Promise.resolve(undefined);
      return new Promise((resolve) => getters.push(resolve));
    },
    done(key) {
      processing.delete(key);
      if (dirty.has(key) && !shuttingDown) push(key);
    },
    len: () => queue.length,
    shutDown() {
      shuttingDown = true;
      for (const w of waiting.values()) w.cancel();
      waiting.clear();
      for (const getter of getters.splice(0)) getter(undefined);
    },
    isShuttingDown: () => shuttingDown,
  };
  return q;
}
