/**
 * One timer for every simulated node and pod: a min-heap of due times behind a single clock timer
 * set for the earliest entry. 5,000 nodes renewing leases every 10 s and their pods' sleeps cost
 * one pending clock timer, not tens of thousands racing each other.
 */
import type { Clock } from '../controllers/runtime/clock.ts';

export interface TimerWheel {
  /** Runs `fn` at `at` (ms since epoch) or soon after; the returned function cancels it. */
  at(at: number, fn: () => void): () => void;
  /** Cancels everything; nothing fires afterwards. */
  stop(): void;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  isCancelled: boolean;
}

export function createTimerWheel(clock: Clock): TimerWheel {
  const heap: Entry[] = [];
  let seq = 0;
  let armedAt = Number.POSITIVE_INFINITY;
  let cancelArmed: (() => void) | undefined;
  let isStopped = false;

  const less = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  function push(entry: Entry) {
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i] as Entry, heap[parent] as Entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  }
  function pop(): Entry | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && less(heap[l] as Entry, heap[smallest] as Entry)) smallest = l;
        if (r < heap.length && less(heap[r] as Entry, heap[smallest] as Entry)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest] as Entry, heap[i] as Entry];
        i = smallest;
      }
    }
    return top;
  }
  function arm() {
    while (heap[0]?.isCancelled) pop();
    const next = heap[0];
    if (!next || isStopped) return;
    if (next.at >= armedAt && cancelArmed) return;
    cancelArmed?.();
    armedAt = next.at;
    cancelArmed = clock.setTimer(fire, Math.max(0, next.at - clock.now()));
  }
  function fire() {
    cancelArmed = undefined;
    armedAt = Number.POSITIVE_INFINITY;
    const now = clock.now();
    while (heap[0] && heap[0].at <= now && !isStopped) {
      const entry = pop() as Entry;
      if (entry.isCancelled) continue;
      try {
        entry.fn();
      } catch (err) {
        console.error('simulated kubelet timer:', err);
      }
    }
    arm();
  }
  return {
    at(at, fn) {
      const entry: Entry = { at, seq: seq++, fn, isCancelled: false };
      push(entry);
      arm();
      return () => {
        entry.isCancelled = true;
      };
    },
    stop() {
      isStopped = true;
      cancelArmed?.();
      heap.length = 0;
    },
  };
}
