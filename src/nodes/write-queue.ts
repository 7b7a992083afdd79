/**
 * The API writes of every simulated kubelet in the process go through one queue with a bounded
 * number in flight, as a real kubelet's status manager and event broadcaster write from their own
 * loops instead of inline. Pod status writes go first; events, which a real kubelet also sends from
 * a queue of their own, still get one slot in every `eventShare` so a busy node cannot starve them.
 * A status write that waits here renders the pod's latest status when its turn comes, so stages
 * that happen while the API is busy become one write (the status manager's coalescing).
 */

export type WriteKind = 'status' | 'event';

export interface WriteQueue {
  /** Runs `task` when a slot is free; settles as the task does. */
  enqueue<T>(kind: WriteKind, task: () => Promise<T>): Promise<T>;
  /** Writes queued but not started. */
  readonly waiting: number;
  /** Resolves when nothing is queued or in flight (bench and tests). */
  idle(): Promise<void>;
  /** Rejects everything still queued; nothing starts afterwards. */
  stop(): void;
}

interface Job {
  task: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** A FIFO that pops from the front in O(1) (Array#shift copies at this queue's lengths). */
function createFifo<T>() {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    get size() {
      return items.length - head;
    },
    push(item: T) {
      items.push(item);
    },
    shift(): T | undefined {
      if (head >= items.length) return undefined;
      const item = items[head];
      items[head++] = undefined;
      if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
    drain(): T[] {
      const rest = items.slice(head) as T[];
      items = [];
      head = 0;
      return rest;
    },
  };
}

export function createWriteQueue(options: { concurrency: number; eventShare?: number }): WriteQueue {
  const { concurrency } = options;
  const eventShare = options.eventShare ?? 4;
  const queues: Record<WriteKind, ReturnType<typeof createFifo<Job>>> = {
    status: createFifo<Job>(),
    event: createFifo<Job>(),
  };
  let inFlight = 0;
  let started = 0;
  let isStopped = false;
  let idleWaiters: (() => void)[] = [];

  function next(): Job | undefined {
    const eventsFirst = started % eventShare === eventShare - 1;
    const [first, second] = eventsFirst ? [queues.event, queues.status] : [queues.status, queues.event];
    return first.shift() ?? second.shift();
  }

  function pump() {
    while (!isStopped && inFlight < concurrency) {
      const job = next();
      if (!job) break;
      inFlight++;
      started++;
      let result: Promise<unknown>;
      try {
        result = job.task();
      } catch (err) {
        result = Promise.reject(err);
      }
      result.then(job.resolve, job.reject).finally(() => {
        inFlight--;
        pump();
      });
    }
    if (inFlight === 0 && queues.status.size === 0 && queues.event.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  return {
    enqueue<T>(kind: WriteKind, task: () => Promise<T>): Promise<T> {
      if (isStopped) return Promise.reject(new Error('simulated kubelets stopped'));
      return new Promise<T>((resolve, reject) => {
        queues[kind].push({ task, resolve: resolve as (value: unknown) => void, reject });
        pump();
      });
    },
    get waiting() {
      return queues.status.size + queues.event.size;
    },
    idle() {
      if (inFlight === 0 && queues.status.size === 0 && queues.event.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      isStopped = true;
      const error = new Error('simulated kubelets stopped');
      for (const job of [...queues.status.drain(), ...queues.event.drain()]) job.reject(error);
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    },
  };
}
