import { describe, expect, it } from 'vitest';
import { createWriteQueue } from './write-queue.ts';

/** A task that finishes when `release` is called, recording when it started. */
function gated(log: string[], name: string) {
  let release = () => {};
  const done = new Promise<string>((resolve) => {
    release = () => resolve(name);
  });
  return {
    task: () => {
      log.push(name);
      return done;
    },
    release: () => release(),
  };
}

describe('createWriteQueue', () => {
  it('keeps at most `concurrency` writes in flight and starts the next as one finishes', async () => {
    const queue = createWriteQueue({ concurrency: 2 });
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((n) => gated(log, n));
    const results = tasks.map((t) => queue.enqueue('status', t.task));
    expect(log).toEqual(['a', 'b']);
    expect(queue.waiting).toBe(1);
    tasks[0]?.release();
    await expect(results[0]).resolves.toBe('a');
    expect(log).toEqual(['a', 'b', 'c']);
    tasks[1]?.release();
    tasks[2]?.release();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
    await queue.idle();
  });

  it('sends status writes before events but gives events one slot in every share', async () => {
    const queue = createWriteQueue({ concurrency: 1, eventShare: 3 });
    const log: string[] = [];
    const blocker = gated(log, 'first');
    void queue.enqueue('status', blocker.task);
    for (const n of ['e1', 'e2']) void queue.enqueue('event', async () => log.push(n));
    for (const n of ['s1', 's2', 's3', 's4']) void queue.enqueue('status', async () => log.push(n));
    blocker.release();
    await queue.idle();
    expect(log).toEqual(['first', 's1', 'e1', 's2', 's3', 'e2', 's4']);
  });

  it('settles with the task: a failed write rejects only its own promise', async () => {
    const queue = createWriteQueue({ concurrency: 1 });
    const failed = queue.enqueue('event', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.enqueue('status', async () => 7)).resolves.toBe(7);
  });

  it('rejects what is still queued on stop and starts nothing afterwards', async () => {
    const queue = createWriteQueue({ concurrency: 1 });
    const log: string[] = [];
    const running = gated(log, 'running');
    const first = queue.enqueue('status', running.task);
    const queued = queue.enqueue('event', async () => log.push('never'));
    queue.stop();
    await expect(queued).rejects.toThrow('stopped');
    await expect(queue.enqueue('status', async () => 1)).rejects.toThrow('stopped');
    running.release();
    await expect(first).resolves.toBe('running');
    expect(log).toEqual(['running']);
  });
});
