/**
 * Cron schedules as CronJob spec.schedule accepts them (the robfig/cron standard parser that
 * kube-controller-manager uses): five fields — minute hour day-of-month month day-of-week — each `*`,
 * `?`, a number or name (JAN–DEC, SUN–SAT, 7 is Sunday too), a range `a-b`, a step `*\/n`, `a-b/n` or
 * `a/n` (from a to the field's end), or a comma list of these; or a macro (@yearly, @annually,
 * @monthly, @weekly, @daily, @midnight, @hourly). Day of week is 0–6 (robfig rejects 7). As in cron, when both day fields are restricted a
 * day matching either one matches.
 */
import { type WallTime, wallTimeIn, zonedInstant } from './time-zone.ts';

export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Whether the day fields were `*` or `?`, which decides AND versus OR between them. */
  isAnyDayOfMonth: boolean;
  isAnyDayOfWeek: boolean;
}

export class CronParseError extends Error {}

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldRange {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const fields: readonly FieldRange[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: monthNames },
  { name: 'day of week', min: 0, max: 6, names: dayNames },
];

function parseValue(text: string, f: FieldRange): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (f.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) throw new CronParseError(`failed to parse int from ${text}`);
  return Number(text);
}

function parseField(text: string, f: FieldRange): { values: Set<number>; isAny: boolean } {
  const values = new Set<number>();
  let isAny = false;
  for (const part of text.split(',')) {
    const [rangeText = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronParseError(`too many slashes: ${part}`);
    let from: number;
    let to: number;
    if (rangeText === '*' || rangeText === '?') {
      from = f.min;
      to = f.max;
      if (stepText === undefined || stepText === '1') isAny = true;
    } else {
      const [a = '', b, more] = rangeText.split('-');
      if (more !== undefined) throw new CronParseError(`too many hyphens: ${rangeText}`);
      from = parseValue(a, f);
      to = b === undefined ? (stepText === undefined ? from : f.max) : parseValue(b, f);
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0 || !/^\d+$/.test(stepText ?? '1')) {
      throw new CronParseError(`failed to parse int from ${stepText}`);
    }
    if (from < f.min) throw new CronParseError(`beginning of range (${from}) below minimum (${f.min}): ${part}`);
    if (to > f.max) throw new CronParseError(`end of range (${to}) above maximum (${f.max}): ${part}`);
    if (from > to) throw new CronParseError(`beginning of range (${from}) beyond end of range (${to}): ${part}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, isAny };
}

/** Parses a schedule; throws CronParseError with a message in robfig/cron's words. */
export function parseCronSchedule(text: string): CronSchedule {
  const trimmed = text.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) throw new CronParseError('CRON_TZ or TZ used in schedule is not supported');
  const expanded = macros[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) throw new CronParseError(`unrecognized descriptor: ${trimmed}`);
  const parts = expanded.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${parts.length}: ${trimmed}`);
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((p, i) => parseField(p, fields[i] as FieldRange));
  return {
    minutes: (minutes as { values: Set<number> }).values,
    hours: (hours as { values: Set<number> }).values,
    daysOfMonth: (daysOfMonth as { values: Set<number> }).values,
    months: (months as { values: Set<number> }).values,
    daysOfWeek: (daysOfWeek as { values: Set<number> }).values,
    isAnyDayOfMonth: (daysOfMonth as { isAny: boolean }).isAny,
    isAnyDayOfWeek: (daysOfWeek as { isAny: boolean }).isAny,
  };
}

function dayMatches(s: CronSchedule, w: WallTime): boolean {
  const dom = s.daysOfMonth.has(w.day);
  const dow = s.daysOfWeek.has(w.weekday);
  return s.isAnyDayOfMonth || s.isAnyDayOfWeek ? dom && dow : dom || dow;
}

const minuteMs = 60_000;

/**
 * The first activation strictly after `afterMs` in `timeZone` (IANA name; default UTC), or undefined
 * when there is none within five years (e.g. `0 0 30 2 *`). Searches wall-clock fields, jumping a
 * whole month, day or hour when that field does not match, so a yearly schedule costs a few dozen steps.
 */
export function nextActivation(s: CronSchedule, afterMs: number, timeZone = 'UTC'): number | undefined {
  let t = Math.floor(afterMs / minuteMs) * minuteMs + minuteMs;
  const limit = afterMs + 5 * 366 * 24 * 60 * minuteMs;
  while (t <= limit) {
    const w = wallTimeIn(t, timeZone);
    let next: number;
    if (!s.months.has(w.month)) {
      next = zonedInstant({ ...w, month: w.month + 1, day: 1, hour: 0, minute: 0 }, timeZone);
    } else if (!dayMatches(s, w)) {
      next = zonedInstant({ ...w, day: w.day + 1, hour: 0, minute: 0 }, timeZone);
    } else if (!s.hours.has(w.hour)) {
      next = zonedInstant({ ...w, hour: w.hour + 1, minute: 0 }, timeZone);
    } else if (!s.minutes.has(w.minute)) {
      next = t + minuteMs;
    } else {
      return t;
    }
    // A daylight-saving shift can map the wall time we asked for back to where we are; move on anyway.
    t = next > t ? next : t + minuteMs;
  }
  return undefined;
}
