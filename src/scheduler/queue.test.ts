import { describe, expect, it } from 'vitest';
import { SchedulingQueue } from './queue.ts';
import { pod } from './testing/builders.ts';

function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('SchedulingQueue', () => {
  it('pops higher priority first, then the oldest', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    q.add('low', pod({ priority: 0 }));
    clock.advance(1);
    q.add('high', pod({ priority: 100 }));
    clock.advance(1);
    q.add('low2', pod({ priority: 0 }));
    expect((await q.pop())?.key).toBe('high');
    expect((await q.pop())?.key).toBe('low');
    expect((await q.pop())?.key).toBe('low2');
  });

  it('keeps unschedulable pods until a cluster event, then respects backoff', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    q.add('p', pod());
    const first = await q.pop();
    q.done(first!, 'unschedulable');
    expect(q.size).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    q.moveAllToActiveOrBackoff();
    // Tried just now: 1 s backoff first.
    expect(q.size.backoff).toBe(1);
    clock.advance(1000);
    q.flush();
    expect(q.size.active).toBe(1);
  });

  it('doubles the backoff per attempt up to 10 s', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    q.add('p', pod());
    const durations: number[] = [];
    for (let i = 0; i < 6; i++) {
      const e = await q.pop();
      durations.push(q.backoffDuration(e!));
      q.done(e!, 'error');
      clock.advance(q.backoffDuration(e!));
    }
    expect(durations).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('retries an unschedulable pod when it is updated', async () => {
    const q = new SchedulingQueue({ clock: fakeClock() });
    q.add('p', pod());
    q.done((await q.pop())!, 'unschedulable');
    q.add('p', pod({ nodeSelector: { a: 'b' } }));
    expect(q.size.unschedulable).toBe(0);
  });

  it('forgets deleted pods and ends pop when closed', async () => {
    const q = new SchedulingQueue({ clock: fakeClock() });
    q.add('p', pod());
    q.delete('p');
    const waiting = q.pop();
    q.close();
    expect(await waiting).toBeUndefined();
  });
});
