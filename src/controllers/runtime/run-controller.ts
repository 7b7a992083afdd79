/**
 * The worker loop every controller shares: take a key, reconcile it, `forget` on success, retry with
 * backoff on failure. Reconcile is level-triggered: it reads current state for the key and trusts
 * nothing about why the key was queued.
 */
import type { WorkQueue } from './work-queue.ts';

/**
 * What reconcile may ask for besides success: `requeue` retries the key with the queue's backoff
 * without counting as an error (work that is progressing but not finished, e.g. a namespace whose
 * pods are still terminating).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a reconcile that returns nothing (most do) must fit.
export type ReconcileResult = void | { requeue: true };

export interface ControllerOptions {
  name: string;
  queue: WorkQueue;
  workers: number;
  reconcile(key: string): Promise<ReconcileResult>;
  /** Reports reconcile failures; the key is retried either way. Default: console.error. */
  onError?(key: string, err: unknown): void;
}

/** A controller as its file exports it: `runController(controller)` runs it. */
export type Controller = ControllerOptions;

export interface RunningController {
  /** Shuts the queue down and resolves when every worker has finished its current key. */
  stop(): Promise<void>;
}

export function runController(o: ControllerOptions): RunningController {
  const onError = o.onError ?? ((key, err) => console.error(`controller ${o.name}: reconcile ${key} failed:`, err));
  async function worker() {
    for (;;) {
      const key = await o.queue.get();
      if (key === undefined) return;
      try {
        const result = await o.reconcile(key);
        if (result?.requeue) o.queue.addRateLimited(key);
        else o.queue.forget(key);
      } catch (err) {
        onError(key, err);
        o.queue.addRateLimited(key);
      } finally {
        o.queue.done(key);
      }
    }
  }
  const workers = Array.from({ length: Math.max(1, o.workers) }, () => worker());
  return {
    async stop() {
      o.queue.shutDown();
      await Promise.all(workers);
    },
  };
}
