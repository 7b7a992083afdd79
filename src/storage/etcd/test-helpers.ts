/** Helpers for the etcd backend's own tests (not part of the backend). */
import type { Store, StoreEvent } from '../types.ts';

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (value: Uint8Array): string => new TextDecoder().decode(value);

/** A watch collecting in the background; `until` waits for a number of events or the watch's failure. */
export function collect(store: Store, prefix: string, afterRevision: number) {
  const controller = new AbortController();
  const events: StoreEvent[] = [];
  const progress: number[] = [];
  let failure: unknown;
  let wake: () => void = () => {};
  const running = (async () => {
    try {
      for await (const batch of store.watch(prefix, afterRevision, {
        signal: controller.signal,
        progressIntervalMs: 50,
      })) {
        events.push(...batch.events);
        if (batch.events.length === 0) progress.push(batch.revision);
        wake();
      }
    } catch (err) {
      failure = err;
    }
    wake();
  })();
  const waitFor = async (isDone: () => boolean): Promise<void> => {
    while (!isDone() && failure === undefined) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) throw failure;
  };
  return {
    events,
    progress,
    until: async (count: number) => {
      await waitFor(() => events.length >= count);
      return events;
    },
    /** Waits for a progress notice at or past `revision`. */
    untilProgress: (revision: number) => waitFor(() => progress.some((r) => r >= revision)),
    /** Resolves with the error the watch ended with (or undefined when it ended normally). */
    ended: async () => {
      await running;
      return failure;
    },
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}
