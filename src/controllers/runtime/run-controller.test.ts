import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock.ts';
import { runController } from './run-controller.ts';
import { createWorkQueue } from './work-queue.ts';

describe('runController', () => {
  it('reconciles keys, retries failures with backoff and forgets on success', async () => {
    const clock = createFakeClock();
    const queue = createWorkQueue({ clock });
    const seen: string[] = [];
    let failuresLeft = 2;
    const errors: string[] = [];
    const controller = runController({
      name: 'test',
      queue,
      workers: 2,
      async reconcile(key) {
        seen.push(key);
        if (key === 'bad' && failuresLeft-- > 0) throw new Error('boom');
      },
      onError: (key) => errors.push(key),
    });
    queue.add('good');
    queue.add('bad');
    await clock.advance(0);
    expect(seen).toEqual(['good', 'bad']);
    await clock.advance(5);
    await clock.advance(10);
    expect(seen).toEqual(['good', 'bad', 'bad', 'bad']);
    expect(errors).toEqual(['bad', 'bad']);
    expect(queue.numRequeues('bad')).toBe(0);
    await controller.stop();
  });

  it('requeues with backoff, without reporting an error, when reconcile asks for it', async () => {
    const clock = createFakeClock();
    const queue = createWorkQueue({ clock });
    let calls = 0;
    const errors: string[] = [];
    const controller = runController({
      name: 'requeue',
      queue,
      workers: 1,
      reconcile: async () => (++calls < 3 ? { requeue: true } : undefined),
      onError: (key) => errors.push(key),
    });
    queue.add('k');
    await clock.advance(0);
    expect(calls).toBe(1);
    expect(queue.numRequeues('k')).toBe(1);
    await clock.advance(5);
    await clock.advance(10);
    expect(calls).toBe(3);
    expect(queue.numRequeues('k')).toBe(0);
    expect(errors).toEqual([]);
    await controller.stop();
  });

  it('stop waits for the key in progress', async () => {
    const queue = createWorkQueue({ clock: createFakeClock() });
    let finish!: () => void;
    let finished = false;
    const controller = runController({
      name: 'slow',
      queue,
      workers: 1,
      reconcile: () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        }),
    });
    queue.add('k');
    await new Promise((r) => setImmediate(r));
    const stopped = controller.stop();
    finish();
    await stopped;
    expect(finished).toBe(true);
  });
});
