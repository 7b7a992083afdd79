import { describe, expect, it } from 'vitest';
import { copyValue } from './copy-value.ts';
import { deepFreeze } from './registry/codec.ts';

describe('copyValue', () => {
  it('copies nested objects and arrays without sharing or freezing', () => {
    const original = deepFreeze({ metadata: { labels: { a: 'b' } }, spec: { list: [{ x: 1 }, 'y', null] } });
    const copy = copyValue(original);
    expect(copy).toEqual(original);
    expect(Object.isFrozen(copy)).toBe(false);
    expect(Object.isFrozen(copy.spec.list[0])).toBe(false);
    copy.metadata.labels.a = 'changed';
    (copy.spec.list[0] as { x: number }).x = 2;
    expect(original.metadata.labels.a).toBe('b');
    expect((original.spec.list[0] as { x: number }).x).toBe(1);
  });

  it('keeps undefined values as structuredClone does', () => {
    const copy = copyValue({ a: undefined, b: [undefined] });
    expect(Object.keys(copy)).toEqual(['a', 'b']);
    expect(copy).toStrictEqual(structuredClone({ a: undefined, b: [undefined] }));
  });

  it('keeps a parsed __proto__ key as data', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"x":1}') as Record<string, unknown>;
    const copy = copyValue(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hands other objects to structuredClone', () => {
    const when = new Date(0);
    const copy = copyValue({ when });
    expect(copy.when).toBeInstanceOf(Date);
    expect(copy.when).not.toBe(when);
    expect(() => copyValue({ f: () => 1 })).toThrow();
    expect(() => copyValue({ m: new Map([[1, () => 1]]) })).toThrow();
  });
});
