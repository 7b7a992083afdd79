/**
 * Automatic compaction: keep at least `minRevisions` revisions and at least `minAgeMs` of history, and
 * forget the rest, so the event window and per-key histories stay bounded.
 */
import type { CompactionPolicy } from '../types.ts';
import type { EventLog } from './event-log.ts';

/**
 * Ten thousand revisions cover an informer's list-then-watch gap on a busy cluster; ten seconds cover
 * a client reconnecting its watch. At 30k writes/s the age bound dominates: ~300k events in memory.
 */
export const defaultCompactionPolicy: CompactionPolicy = { minRevisions: 10_000, minAgeMs: 10_000 };

/** The revision to compact to now, or undefined when nothing may go yet. */
export function compactionTarget(
  policy: CompactionPolicy,
  log: EventLog,
  committedRevision: number,
  now: number,
): number | undefined {
  const byCount = committedRevision - policy.minRevisions;
  const byAge = log.lastRevisionBefore(now - policy.minAgeMs);
  const target = Math.min(byCount, byAge, committedRevision);
  return target > log.startRevision ? target : undefined;
}

/** Runs `compact` on a timer; returns a function that stops it. */
export function scheduleCompaction(everyMs: number, compact: () => void): () => void {
  const timer = setInterval(compact, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
