/**
 * Retry delays for the work queue, as client-go's DefaultControllerRateLimiter: the larger of a
 * per-item exponential backoff and an overall token bucket.
 */
import type { Clock } from './clock.ts';

export interface RateLimiter {
  /** Delay before `key` may be retried; each call counts as one more failure. */
  when(key: string): number;
  forget(key: string): void;
  numRequeues(key: string): number;
}

/** 5 ms, 10 ms, 20 ms, ... capped at 1000 s (reached after 18 failures). */
export function createExponentialRateLimiter(baseMs = 5, maxMs = 1_000_000): RateLimiter {
  const failures = new Map<string, number>();
  return {
    when(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      // 2^n overflows to Infinity long before n gets big, so min() is enough to cap it.
      return Math.min(baseMs * 2 ** n, maxMs);
    },
    forget: (key) => void failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

/**
 * Token bucket shared by all items (client-go: 10 qps, burst 100), so a storm of failing keys cannot
 * turn into a storm of retries. The delay is when the next token will be free.
 */
export function createBucketRateLimiter(clock: Clock, qps = 10, burst = 100): RateLimiter {
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
      last = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / qps) * 1000);
    },
    forget() {},
    numRequeues: () => 0,
  };
}

export function createMaxOfRateLimiter(...limiters: RateLimiter[]): RateLimiter {
  return {
    when: (key) => Math.max(...limiters.map((l) => l.when(key))),
    forget: (key) => {
      for (const l of limiters) l.forget(key);
    },
    numRequeues: (key) => Math.max(...limiters.map((l) => l.numRequeues(key))),
  };
}

export function createDefaultRateLimiter(clock: Clock): RateLimiter {
  return createMaxOfRateLimiter(createExponentialRateLimiter(), createBucketRateLimiter(clock));
}
