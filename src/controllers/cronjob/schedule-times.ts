/**
 * Which scheduled time a CronJob should act on now (kubernetes pkg/controller/cronjob
 * mostRecentScheduleTime and nextScheduleTime): the latest activation after the last schedule time
 * (or creation) and not after now, bounded by startingDeadlineSeconds, and how many were missed.
 */
import { type CronSchedule, nextActivation } from './cron-schedule.ts';

/** More missed activations than this and the controller warns (TooManyMissedTimes). */
export const tooManyMissed = 100;

export interface MostRecent {
  /** The latest activation in (earliest, now], if any. */
  scheduled?: number;
  /** Activations in (earliest, now], the one returned included. */
  missed: number;
}

export function mostRecentScheduleTime(
  s: CronSchedule,
  timeZone: string,
  o: { lastScheduleTime?: number; createdAt: number; startingDeadlineSeconds?: number; now: number },
): MostRecent {
  let earliest = o.lastScheduleTime ?? o.createdAt;
  if (o.startingDeadlineSeconds !== undefined) {
    earliest = Math.max(earliest, o.now - o.startingDeadlineSeconds * 1000);
  }
  let scheduled: number | undefined;
  let missed = 0;
  for (let t = nextActivation(s, earliest, timeZone); t !== undefined && t <= o.now; ) {
    scheduled = t;
    missed++;
    // Counting stops once the warning is certain; then jump to the last activation directly.
    if (missed > tooManyMissed) {
      scheduled = lastActivationAtOrBefore(s, timeZone, t, o.now);
      break;
    }
    t = nextActivation(s, t, timeZone);
  }
  return scheduled === undefined ? { missed } : { scheduled, missed };
}

/** Walks back from `now` minute by minute-granular activations until one lands after `from`. */
function lastActivationAtOrBefore(s: CronSchedule, timeZone: string, from: number, now: number): number {
  // Step back in widening windows so a long gap (years of every-minute activations) stays cheap.
  for (let window = 60_000; ; window *= 2) {
    const start = Math.max(from, now - window);
    let last = from;
    for (
      let t = nextActivation(s, start - 1, timeZone);
      t !== undefined && t <= now;
      t = nextActivation(s, t, timeZone)
    ) {
      last = t;
    }
    if (last > from || start === from) return last;
  }
}
