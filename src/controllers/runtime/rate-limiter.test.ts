import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock.ts';
import { createBucketRateLimiter, createDefaultRateLimiter } from './rate-limiter.ts';

describe('bucket rate limiter', () => {
  it('lets a burst through, then spaces retries at the qps', async () => {
    const clock = createFakeClock();
    const l = createBucketRateLimiter(clock, 10, 3);
    expect([l.when('a'), l.when('b'), l.when('c')]).toEqual([0, 0, 0]);
    expect(l.when('d')).toBe(100);
    expect(l.when('e')).toBe(200);
    await clock.advance(1000);
    expect(l.when('f')).toBe(0);
  });
});

describe('default rate limiter', () => {
  it('uses the per-item backoff while the bucket has tokens', () => {
    const l = createDefaultRateLimiter(createFakeClock());
    expect([l.when('a'), l.when('a'), l.when('a')]).toEqual([5, 10, 20]);
    l.forget('a');
    expect(l.numRequeues('a')).toBe(0);
  });
});
