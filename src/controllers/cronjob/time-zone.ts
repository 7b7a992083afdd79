/**
 * Wall-clock time in an IANA time zone through Intl (no tz database of our own): the fields of an
 * instant in a zone, and the instant of wall-clock fields in a zone. Fields may overflow (month 13,
 * day 32, hour 24) and are normalised as Date.UTC does.
 */
export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Throws RangeError for a zone Intl does not know. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallTimeIn(ms: number, timeZone: string): WallTime {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: d.getUTCDay(),
    };
  }
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: weekdays.indexOf(parts.weekday ?? ''),
  };
}

/** Offset of `timeZone` from UTC at `ms`, in ms (e.g. +3,600,000 for Europe/Paris in winter). */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallTimeIn(ms, timeZone);
  const asUTC = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUTC - Math.floor(ms / 60_000) * 60_000;
}

/** The instant whose wall time in `timeZone` is `w` (in a DST gap: the instant just after it). */
export function zonedInstant(w: Omit<WallTime, 'weekday'>, timeZone: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

/** RFC 3339 in the zone, as Go's time.Format(RFC3339) prints a time.In(location): Z for UTC. */
export function formatInZone(ms: number, timeZone: string): string {
  const offset = offsetAt(ms, timeZone);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().replace(/\.\d{3}Z$/, '');
  if (offset === 0) return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
