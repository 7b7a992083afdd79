/**
 * Slow-start batches (kubernetes pkg/controller/replicaset slowStartBatch): run `count` calls in batches
 * of 1, 2, 4, … in parallel, stopping at the first batch with a failure. A quota or admission error then
 * costs one failed request instead of hundreds.
 */
export interface SlowStartResult {
  successes: number;
  /** The first error of the batch that failed, if any. */
  error?: unknown;
}

export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  call: () => Promise<void>,
): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => call()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= size;
  }
  return { successes };
}
