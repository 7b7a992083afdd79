import type { WatchBatch, WatchOptions } from '../types.ts';
import type { Subscription, WatchHub } from './watch-hub.ts';

const defaultProgressIntervalMs = 1_000;

/**
 * Subscribes at once, not at the first `next()`: the watch covers every change after `afterRevision`
 * from the moment it is asked for, and a consumer that never reads is still bounded by its buffer.
 */
export function watchFrom(
  hub: WatchHub,
  prefix: string,
  afterRevision: number,
  options: WatchOptions,
  compactedRevision: () => number,
): AsyncIterable<WatchBatch> {
  const { signal } = options;
  let subscription: Subscription | undefined;
  let failure: unknown;
  const onAbort = (): void => subscription?.close();
  if (!signal.aborted) {
    try {
      subscription = hub.subscribe(prefix, afterRevision, compactedRevision());
      signal.addEventListener('abort', onAbort, { once: true });
    } catch (err) {
      failure = err;
    }
  }
  const idleMs = options.progressIntervalMs ?? defaultProgressIntervalMs;
  async function* batches(): AsyncGenerator<WatchBatch> {
    if (failure !== undefined) throw failure;
    if (!subscription) return;
    try {
      for (;;) {
        const taken = await subscription.queue.take(idleMs, signal);
        if (taken.kind === 'end') return;
        if (taken.kind === 'batch') yield taken.batch;
        else yield { events: [], revision: Math.max(afterRevision, subscription.progressRevision()) };
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      subscription.close();
    }
  }
  return batches();
}
