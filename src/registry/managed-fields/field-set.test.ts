import { describe, expect, it } from 'vitest';
import { FieldSet } from './field-set.ts';

const decode = (value: Record<string, unknown>) => FieldSet.decodeFieldsV1(value);

describe('decoding fieldsV1', () => {
  it('calls toFieldsV1 output canonical and anything written differently not', () => {
    const canonical = { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:replicas': {} } };
    expect(decode(canonical)?.isCanonical).toBe(true);
    expect(decode({ 'f:spec': {}, 'f:metadata': {} })?.isCanonical).toBe(false);
    expect(decode({ 'f:labels': { 'f:a': {}, '.': {} } })?.isCanonical).toBe(false);
    expect(decode({ 'f:labels': { '.': {} } })?.isCanonical).toBe(false);
    expect(decode({ 'f:labels': { '.': { x: 1 }, 'f:a': {} } })?.isCanonical).toBe(false);
    expect(decode({ 'i:10': {}, 'i:2': {} })?.isCanonical).toBe(false);
    expect(decode({ 'f:a': {}, 'k:{"name":"x"}': {}, 'v:"x"': {}, 'i:2': {}, 'i:10': {} })?.isCanonical).toBe(true);
  });

  it('decodes the same set however it was written, and rejects what is not fieldsV1', () => {
    const unordered = decode({ 'f:spec': { 'f:replicas': {} }, 'f:labels': { 'f:a': {}, '.': {} } })?.set;
    expect(unordered?.toFieldsV1()).toEqual({ 'f:labels': { '.': {}, 'f:a': {} }, 'f:spec': { 'f:replicas': {} } });
    expect(unordered?.children.get('f:labels')?.isMember).toBe(true);
    expect(decode({ 'f:spec': { 'x:bad': {} } })).toBeUndefined();
    expect(decode({ 'f:spec': { 'f:replicas': [] } })).toBeUndefined();
    expect(FieldSet.fromFieldsV1('nope')).toBeUndefined();
  });

  it('compares a set with fieldsV1 without decoding it', () => {
    const value = { 'f:spec': { '.': {}, 'f:replicas': {} } };
    const set = decode(value)?.set as FieldSet;
    expect(set.clone().equalsFieldsV1(value)).toBe(true);
    expect(set.equalsFieldsV1({ 'f:spec': { 'f:replicas': {} } })).toBe(false);
    expect(set.equalsFieldsV1({ 'f:spec': { '.': {}, 'f:replicas': {}, 'f:paused': {} } })).toBe(false);
    expect(new FieldSet().equalsFieldsV1({})).toBe(false);
  });
});

describe('set algebra shares what it does not change', () => {
  const a = () =>
    FieldSet.fromFieldsV1({ 'f:metadata': { 'f:labels': { 'f:a': {} } }, 'f:spec': { 'f:replicas': {} } }) as FieldSet;
  const replicas = () => FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {} } }) as FieldSet;
  const paused = () => FieldSet.fromFieldsV1({ 'f:spec': { 'f:paused': {} } }) as FieldSet;

  it('returns the input itself when the result equals it', () => {
    const set = a();
    expect(set.difference(paused())).toBe(set);
    expect(set.difference(new FieldSet())).toBe(set);
    expect(set.union(replicas())).toBe(set);
    expect(set.union(new FieldSet())).toBe(set);
  });

  it('leaves both inputs as they were when the result differs', () => {
    const set = a();
    const other = paused();
    const union = set.union(other);
    expect(union.toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { 'f:a': {} } },
      'f:spec': { 'f:paused': {}, 'f:replicas': {} },
    });
    const difference = union.difference(replicas());
    expect(difference.toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { 'f:a': {} } },
      'f:spec': { 'f:paused': {} },
    });
    expect(set.toFieldsV1()).toEqual(a().toFieldsV1());
    expect(other.toFieldsV1()).toEqual({ 'f:spec': { 'f:paused': {} } });
    expect(union.toFieldsV1()).toEqual(a().union(paused()).toFieldsV1());
    expect(set.difference(a()).isEmpty).toBe(true);
  });

  it('drops children a difference empties, as before sharing', () => {
    const set = FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {} }, 'f:status': {} }) as FieldSet;
    const rest = set.difference(replicas());
    expect([...rest.children.keys()]).toEqual(['f:status']);
  });
});
