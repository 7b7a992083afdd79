/**
 * The window of recent events that watches replay from and compaction trims, kine's "every write is
 * an appended event". Every revision is exactly one event, so the event of revision r sits at a fixed
 * offset from the first retained one: lookups are arithmetic, not searches.
 */
import type { StoreEvent } from '../types.ts';

export class EventLog {
  private events: StoreEvent[] = [];
  /** Wall-clock time of each event, for age-based compaction. */
  private times: number[] = [];
  private head = 0;
  /** Revision of events[head]; the window starts after `startRevision`. */
  private firstRevision: number;

  constructor(startRevision: number) {
    this.firstRevision = startRevision + 1;
  }

  get length(): number {
    return this.events.length - this.head;
  }

  /** The revision just before the oldest retained event. */
  get startRevision(): number {
    return this.firstRevision - 1;
  }

  append(event: StoreEvent, now: number): void {
    const expected = this.firstRevision + this.length;
    if (event.kv.modRevision !== expected)
      throw new Error(`event log gap: got revision ${event.kv.modRevision}, expected ${expected}`);
    this.events.push(event);
    this.times.push(now);
  }

  /** Events with afterRevision < revision <= upTo (clamped to the window), oldest first. */
  between(afterRevision: number, upTo: number): StoreEvent[] {
    const from = this.head + Math.max(0, afterRevision + 1 - this.firstRevision);
    const to = this.head + Math.min(this.length, upTo + 1 - this.firstRevision);
    return from < to ? this.events.slice(from, to) : [];
  }

  /** Like `between`, without copying: calls `visit` for each event. */
  forEachBetween(afterRevision: number, upTo: number, visit: (event: StoreEvent) => void): void {
    const from = this.head + Math.max(0, afterRevision + 1 - this.firstRevision);
    const to = this.head + Math.min(this.length, upTo + 1 - this.firstRevision);
    for (let i = from; i < to; i++) visit(this.events[i] as StoreEvent);
  }

  /** The newest revision written before `time`, or the window start when none is. */
  lastRevisionBefore(time: number): number {
    let low = this.head;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] as number) < time) low = mid + 1;
      else high = mid;
    }
    return this.firstRevision + (low - this.head) - 1;
  }

  /** Removes and returns events with revision <= `revision`. */
  dropThrough(revision: number): StoreEvent[] {
    const count = Math.min(this.length, Math.max(0, revision + 1 - this.firstRevision));
    const dropped = this.events.slice(this.head, this.head + count);
    this.head += count;
    this.firstRevision += count;
    // Reclaim the array once most of it is dead, so trimming stays amortised O(1) per event.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }
}
