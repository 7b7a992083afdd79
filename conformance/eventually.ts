/**
 * Polling instead of sleeping: conformance tests wait for controllers, and a cluster on a busy
 * 2-core machine may take seconds, a fast one milliseconds.
 */
export interface EventuallyOptions {
  /** Give up after this long (default 30 s); the last error is rethrown with the elapsed time. */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms, doubling up to 1 s). */
  intervalMs?: number;
  /** Stop early when this aborts (the test timed out). */
  signal?: AbortSignal;
  /** Describes what is awaited, for the failure message. */
  what?: string;
}

/** Calls `fn` until it returns without throwing and returns its value. */
export async function eventually<T>(fn: () => Promise<T> | T, o: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const started = Date.now();
  let pause = o.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
    }
    if (o.signal?.aborted || Date.now() - started >= timeoutMs) break;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(pause, Math.max(0, timeoutMs - (Date.now() - started)))),
    );
    pause = Math.min(pause * 2, 1000);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  const what = o.what ? `${o.what}: ` : '';
  throw new Error(`${what}still failing after ${Date.now() - started} ms: ${reason}`);
}
