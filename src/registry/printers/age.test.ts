import { describe, expect, it } from 'vitest';
import { age, humanDuration, since } from './age.ts';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [5 * m + 30 * s, '5m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 20 * m, '3h20m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 30 * d, '2y30d'],
    [7 * y + 364 * d, '7y364d'],
    [8 * y + 100 * d, '8y'],
  ])('formats %d ms as %s', (milliseconds, expected) => {
    expect(humanDuration(milliseconds)).toBe(expected);
  });
});

describe('since', () => {
  const now = Date.parse('2025-01-01T00:10:00Z');
  it('measures from an RFC 3339 timestamp, with or without fractional seconds', () => {
    expect(since('2025-01-01T00:00:00Z', now)).toBe('10m');
    expect(since('2025-01-01T00:09:29.500000Z', now)).toBe('30s');
  });
  it('prints <unknown> for a missing or unparsable time', () => {
    expect(since(undefined, now)).toBe('<unknown>');
    expect(since('yesterday', now)).toBe('<unknown>');
  });
  it('reads metadata.creationTimestamp for the Age cell', () => {
    expect(age({ metadata: { creationTimestamp: '2025-01-01T00:05:00Z' } }, now)).toBe('5m');
    expect(age({}, now)).toBe('<unknown>');
  });
});
