/**
 * The scheduling queue, in kube-scheduler's three parts:
 * - active: pods ready to be tried, highest priority first, then oldest (PrioritySort);
 * - backoff: pods that failed recently and wait 1 s, 2 s, 4 s … up to 10 s (per attempt) before retrying;
 * - unschedulable: pods that did not fit; a relevant cluster event (node added or changed, pod deleted …)
 *   moves them back (to backoff if their backoff has not expired yet), and none stays longer than 5 min.
 */
import type { Pod } from './types.ts';

export interface QueueClock {
  now(): number;
}

export interface QueuedPod {
  key: string;
  pod: Pod;
  attempts: number;
  /** When it first entered the queue (ordering among equal priorities). */
  since: number;
  /** When it was last tried (for backoff). */
  lastTried: number;
}

export interface SchedulingQueueOptions {
  clock?: QueueClock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
}

export class SchedulingQueue {
  private readonly active: QueuedPod[] = [];
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly known = new Map<string, QueuedPod>();
  private readonly inFlight = new Set<string>();
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly clock: QueueClock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;

  constructor(o: SchedulingQueueOptions = {}) {
    this.clock = o.clock ?? { now: () => Date.now() };
    this.initialBackoffMs = o.initialBackoffMs ?? 1000;
    this.maxBackoffMs = o.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = o.maxUnschedulableMs ?? 5 * 60_000;
  }

  get size(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.length, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /**
   * A new or updated pending pod. An update that may change the outcome (anything but status and
   * bookkeeping metadata; `retry`) moves a pod waiting as unschedulable back; the scheduler's own status
   * writes do not, as in kube-scheduler.
   */
  add(key: string, pod: Pod, retry = true): void {
    const existing = this.known.get(key);
    if (existing) {
      existing.pod = pod;
      if (retry && this.unschedulable.delete(key)) this.toActiveOrBackoff(existing);
      return;
    }
    const now = this.clock.now();
    const entry: QueuedPod = { key, pod, attempts: 0, since: now, lastTried: 0 };
    this.known.set(key, entry);
    if (this.inFlight.has(key)) return;
    this.pushActive(entry);
  }

  /** The pod is gone or was bound by someone else. */
  delete(key: string): void {
    const entry = this.known.get(key);
    if (!entry) return;
    this.known.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    const i = this.active.indexOf(entry);
    if (i >= 0) this.removeActiveAt(i);
  }

  /** Waits for the next pod to try; undefined once closed. */
  async pop(): Promise<QueuedPod | undefined> {
    for (;;) {
      this.flush();
      const entry = this.popActive();
      if (entry) {
        entry.attempts++;
        entry.lastTried = this.clock.now();
        this.inFlight.add(entry.key);
        return entry;
      }
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
      });
    }
  }

  /** The cycle for this pod is over: bound (done) or not (unschedulable / error → backoff). */
  done(entry: QueuedPod, outcome: 'bound' | 'unschedulable' | 'error'): void {
    this.inFlight.delete(entry.key);
    const current = this.known.get(entry.key);
    if (!current) return;
    if (outcome === 'bound') {
      this.known.delete(entry.key);
      return;
    }
    if (outcome === 'unschedulable') this.unschedulable.set(entry.key, current);
    else this.backoff.set(entry.key, current);
  }

  /** A cluster event that may make unschedulable pods fit: retry them all (through backoff). */
  moveAllToActiveOrBackoff(filter?: (entry: QueuedPod) => boolean): void {
    for (const [key, entry] of this.unschedulable) {
      if (filter && !filter(entry)) continue;
      this.unschedulable.delete(key);
      this.toActiveOrBackoff(entry);
    }
    this.wake();
  }

  /** Moves expired backoffs and stale unschedulable pods to active; called by pop and a periodic tick. */
  flush(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.backoff) {
      if (now >= this.backoffExpiry(entry)) {
        this.backoff.delete(key);
        this.pushActive(entry);
      }
    }
    for (const [key, entry] of this.unschedulable) {
      if (now - entry.lastTried >= this.maxUnschedulableMs) {
        this.unschedulable.delete(key);
        this.pushActive(entry);
      }
    }
  }

  /** Milliseconds until the next backoff expires, for the caller's timer (undefined: nothing waits). */
  nextBackoffInMs(): number | undefined {
    let next: number | undefined;
    for (const entry of this.backoff.values()) {
      const at = this.backoffExpiry(entry) - this.clock.now();
      if (next === undefined || at < next) next = at;
    }
    return next === undefined ? undefined : Math.max(0, next);
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  /** 1 s, 2 s, 4 s, … capped at 10 s, by attempts so far. */
  backoffDuration(entry: QueuedPod): number {
    const exponent = Math.max(0, entry.attempts - 1);
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(exponent, 30));
  }

  private backoffExpiry(entry: QueuedPod): number {
    return entry.lastTried + this.backoffDuration(entry);
  }

  private toActiveOrBackoff(entry: QueuedPod): void {
    if (this.clock.now() < this.backoffExpiry(entry)) this.backoff.set(entry.key, entry);
    else this.pushActive(entry);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  // A binary heap: higher priority first, then earlier arrival.
  private before(a: QueuedPod, b: QueuedPod): boolean {
    const pa = a.pod.spec.priority ?? 0;
    const pb = b.pod.spec.priority ?? 0;
    return pa !== pb ? pa > pb : a.since < b.since;
  }

  private pushActive(entry: QueuedPod): void {
    if (this.active.includes(entry)) return;
    this.active.push(entry);
    let i = this.active.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.active[i] as QueuedPod, this.active[parent] as QueuedPod)) break;
      this.swap(i, parent);
      i = parent;
    }
    this.wake();
  }

  private popActive(): QueuedPod | undefined {
    if (this.active.length === 0) return undefined;
    const top = this.active[0];
    this.removeActiveAt(0);
    return top;
  }

  private removeActiveAt(i: number): void {
    const last = this.active.pop() as QueuedPod;
    if (i === this.active.length) return;
    this.active[i] = last;
    this.siftDown(i);
    let j = i;
    while (j > 0) {
      const parent = (j - 1) >> 1;
      if (!this.before(this.active[j] as QueuedPod, this.active[parent] as QueuedPod)) break;
      this.swap(j, parent);
      j = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.active.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.before(this.active[l] as QueuedPod, this.active[best] as QueuedPod)) best = l;
      if (r < n && this.before(this.active[r] as QueuedPod, this.active[best] as QueuedPod)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.active[a] as QueuedPod;
    this.active[a] = this.active[b] as QueuedPod;
    this.active[b] = t;
  }
}
