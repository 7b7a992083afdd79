import { describe, expect, it } from 'vitest';
import { CronParseError, nextActivation, parseCronSchedule } from './cron-schedule.ts';
import { mostRecentScheduleTime } from './schedule-times.ts';
import { formatInZone } from './time-zone.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const next = (schedule: string, after: string, tz?: string) =>
  iso(nextActivation(parseCronSchedule(schedule), at(after), tz));

describe('cron schedules', () => {
  it.each([
    ['* * * * *', '2026-03-01T10:00:30Z', '2026-03-01T10:01:00.000Z'],
    ['*/15 * * * *', '2026-03-01T10:01:00Z', '2026-03-01T10:15:00.000Z'],
    ['5/20 * * * *', '2026-03-01T10:30:00Z', '2026-03-01T10:45:00.000Z'],
    ['0 9-17/4 * * *', '2026-03-01T10:00:00Z', '2026-03-01T13:00:00.000Z'],
    ['0 0 * * MON-FRI', '2026-03-06T12:00:00Z', '2026-03-09T00:00:00.000Z'],
    ['30 2 1,15 * *', '2026-03-01T03:00:00Z', '2026-03-15T02:30:00.000Z'],
    ['0 0 1 jan,JUL *', '2026-03-01T00:00:00Z', '2026-07-01T00:00:00.000Z'],
    ['0 0 13 * 5', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'],
    ['0 0 13 * ?', '2026-03-01T00:00:00Z', '2026-03-13T00:00:00.000Z'],
    ['@hourly', '2026-03-01T10:00:00Z', '2026-03-01T11:00:00.000Z'],
    ['@daily', '2026-03-01T10:00:00Z', '2026-03-02T00:00:00.000Z'],
    ['@midnight', '2026-03-01T10:00:00Z', '2026-03-02T00:00:00.000Z'],
    ['@weekly', '2026-03-04T10:00:00Z', '2026-03-08T00:00:00.000Z'],
    ['@monthly', '2026-03-04T10:00:00Z', '2026-04-01T00:00:00.000Z'],
    ['@yearly', '2026-03-04T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['@annually', '2026-03-04T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('%s after %s is %s', (schedule, after, expected) => {
    expect(next(schedule, after)).toBe(expected);
  });

  it('never fires a schedule that names an impossible date', () => {
    expect(next('0 0 30 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('reads wall-clock time in the timeZone, across daylight saving', () => {
    // 09:00 in New York is 14:00 UTC in winter (EST) and 13:00 UTC after 8 March 2026 (EDT).
    expect(next('0 9 * * *', '2026-03-06T15:00:00Z', 'America/New_York')).toBe('2026-03-07T14:00:00.000Z');
    expect(next('0 9 * * *', '2026-03-07T15:00:00Z', 'America/New_York')).toBe('2026-03-08T13:00:00.000Z');
    // 05:30 in Kolkata (+05:30) is midnight UTC; an activation exactly at `after` is not the next one.
    expect(next('30 5 * * *', '2026-03-01T00:00:00Z', 'Asia/Kolkata')).toBe('2026-03-02T00:00:00.000Z');
    expect(formatInZone(at('2026-03-02T00:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-02T05:30:00+05:30');
    expect(formatInZone(at('2026-03-02T00:00:00Z'), 'UTC')).toBe('2026-03-02T00:00:00Z');
  });

  it.each([
    ['* * * *', 'expected exactly 5 fields, found 4: * * * *'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'failed to parse int from x'],
    ['@every-day', 'unrecognized descriptor: @every-day'],
    ['TZ=UTC * * * * *', 'CRON_TZ or TZ used in schedule is not supported'],
  ])('rejects %s: %s', (schedule, message) => {
    expect(() => parseCronSchedule(schedule)).toThrow(new CronParseError(message));
  });

  it('finds the most recent missed time, bounded by startingDeadlineSeconds', () => {
    const s = parseCronSchedule('*/10 * * * *');
    const o = { createdAt: at('2026-03-01T10:00:00Z'), now: at('2026-03-01T10:35:00Z') };
    expect(mostRecentScheduleTime(s, 'UTC', o)).toEqual({ scheduled: at('2026-03-01T10:30:00Z'), missed: 3 });
    expect(mostRecentScheduleTime(s, 'UTC', { ...o, lastScheduleTime: at('2026-03-01T10:30:00Z') })).toEqual({
      missed: 0,
    });
    expect(mostRecentScheduleTime(s, 'UTC', { ...o, startingDeadlineSeconds: 200 })).toEqual({ missed: 0 });
    const many = mostRecentScheduleTime(parseCronSchedule('* * * * *'), 'UTC', {
      createdAt: at('2026-03-01T00:00:00Z'),
      now: at('2026-03-02T00:00:30Z'),
    });
    expect(many.missed).toBeGreaterThan(100);
    expect(many.scheduled).toBe(at('2026-03-02T00:00:00Z'));
  });
});
