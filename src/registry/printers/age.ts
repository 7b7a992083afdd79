/**
 * kubectl's compact durations (apimachinery util/duration HumanDuration): about two significant
 * figures, coarser as the span grows, e.g. 90s, 5m30s, 45m, 3h20m, 20h, 3d4h, 200d, 2y30d, 9y.
 */

import { text } from './fields.ts';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const year = 365 * day;

/** Formats a span given in milliseconds. */
export function humanDuration(milliseconds: number): string {
  // Up to one second in the future is clock skew between machines and reads as "now".
  const seconds = Math.trunc(milliseconds / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(milliseconds / minute);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(milliseconds / hour);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(milliseconds / day);
  if (days < 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (days < 730) return `${days}d`;
  const years = Math.trunc(milliseconds / year);
  if (years < 8) return withRemainder(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRemainder(whole: number, unit: string, remainder: number, remainderUnit: string): string {
  return remainder === 0 ? `${whole}${unit}` : `${whole}${unit}${remainder}${remainderUnit}`;
}

/** Milliseconds since epoch of an RFC 3339 timestamp, or undefined when missing or unparsable. */
export function parseTime(timestamp: unknown): number | undefined {
  if (typeof timestamp !== 'string' || timestamp === '') return undefined;
  const parsed = Date.parse(timestamp);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Time since `timestamp` as printed in Age-like columns; `<unknown>` for a missing time, as kube does. */
export function since(timestamp: unknown, now: number): string {
  const parsed = parseTime(timestamp);
  return parsed === undefined ? '<unknown>' : humanDuration(now - parsed);
}

/** The Age cell: time since metadata.creationTimestamp. */
export function age(object: unknown, now: number): string {
  return since(text(object, 'metadata', 'creationTimestamp'), now);
}
