/**
 * A clock for tests: time moves only when `advance` is called. Timers fire in due order, each with
 * `now()` equal to its due time, and pending promise callbacks run between timers, so code awaiting
 * `sleep` observes the same order as with real time.
 */
import { type Clock, sleepOn } from './clock.ts';

export interface FakeClock extends Clock {
  advance(ms: number): Promise<void>;
  /** Timers not yet fired or cancelled. */
  pendingTimers(): number;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets queued promise reactions and I/O callbacks run; no wall-clock time is involved. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createFakeClock(start = Date.parse('2026-01-01T00:00:00Z')): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Set<Timer>();
  const clock: FakeClock = {
    now: () => now,
    setTimer(fn, ms) {
      const timer = { at: now + Math.max(0, ms), seq: seq++, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    sleep: (ms, signal) => sleepOn(clock, ms, signal),
    async advance(ms) {
      const target = now + ms;
      await flushPromises();
      for (;;) {
        const due = [...timers].filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        timers.delete(due);
        now = due.at;
        due.fn();
        await flushPromises();
      }
      now = target;
      await flushPromises();
    },
    pendingTimers: () => timers.size,
  };
  return clock;
}
