import { describe, expect, it } from 'vitest';
import { isQuantity, parseQuantity, toInteger, toMilli } from './quantity.ts';

describe('quantity', () => {
  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1e3', 1000],
    ['2k', 2000],
  ])('parses %s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });

  it('rounds CPU up to whole millicores', () => {
    expect(toMilli('100m')).toBe(100);
    expect(toMilli('1')).toBe(1000);
    expect(toMilli('0.0001')).toBe(1);
    expect(toMilli(undefined)).toBe(0);
  });

  it('rounds bytes up to integers', () => {
    expect(toInteger('1.5Ki')).toBe(1536);
    expect(toInteger('110')).toBe(110);
  });

  it('rejects malformed quantities', () => {
    expect(isQuantity('12x')).toBe(false);
    expect(isQuantity('1Gi')).toBe(true);
    expect(() => parseQuantity('abc')).toThrow(/regular expression/);
  });
});
