import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../controllers/runtime/fake-clock.ts';
import { createTimerWheel } from './timer-wheel.ts';

describe('createTimerWheel', () => {
  it('fires in due order on one clock timer', async () => {
    const clock = createFakeClock(0);
    const wheel = createTimerWheel(clock);
    const fired: string[] = [];
    for (const [name, at] of [
      ['c', 300],
      ['a', 100],
      ['b', 200],
      ['a2', 100],
    ] as const)
      wheel.at(at, () => fired.push(name));
    const cancel = wheel.at(150, () => fired.push('cancelled'));
    cancel();
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(250);
    expect(fired).toEqual(['a', 'a2', 'b']);
    wheel.at(260, () => fired.push('d'));
    await clock.advance(100);
    expect(fired).toEqual(['a', 'a2', 'b', 'd', 'c']);
    wheel.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});
