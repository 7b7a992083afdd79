import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock.ts';
import { createExponentialRateLimiter } from './rate-limiter.ts';
import { createWorkQueue } from './work-queue.ts';

describe('work queue', () => {
  it('keeps a key once however often it is added', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('never hands a key in processing to a second worker, and requeues it on done when re-added', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => {
      second = k;
    });
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(key!);
    await Promise.resolve();
    expect(second).toBe('a');
  });

  it('does not requeue on done when the key was not re-added', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    q.add('a');
    q.done((await q.get())!);
    expect(q.len()).toBe(0);
  });

  it('wakes a waiting get when a key arrives', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    const pending = q.get();
    q.add('x');
    expect(await pending).toBe('x');
  });

  it('adds after a delay, keeping the earlier time for a key already waiting', async () => {
    const clock = createFakeClock();
    const q = createWorkQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 200);
    await clock.advance(49);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    await clock.advance(1000);
    expect(q.len()).toBe(1);
  });

  it('backs off per key exponentially from 5 ms and forget resets it', async () => {
    const clock = createFakeClock();
    const q = createWorkQueue({ clock, rateLimiter: createExponentialRateLimiter() });
    q.addRateLimited('a');
    await clock.advance(5);
    q.done((await q.get())!);
    q.addRateLimited('a');
    await clock.advance(9);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.numRequeues('a')).toBe(2);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('returns undefined to waiting and later getters after shutDown, and ignores adds', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    const pending = q.get();
    q.shutDown();
    expect(await pending).toBeUndefined();
    q.add('a');
    expect(await q.get()).toBeUndefined();
    expect(q.isShuttingDown()).toBe(true);
  });
});

describe('exponential rate limiter', () => {
  it('doubles from 5 ms and caps at 1000 s', () => {
    const l = createExponentialRateLimiter();
    const delays = Array.from({ length: 20 }, () => l.when('k'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[19]).toBe(1_000_000);
    expect(l.when('other')).toBe(5);
  });
});
