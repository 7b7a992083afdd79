import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../status.ts';
import { applyJSONPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return isStatusError(err) ? err.code : -1;
  }
  return 0;
};

describe('JSON patch', () => {
  const doc = { a: { b: 1 }, list: [1, 2, 3] };
  it.each([
    [[{ op: 'add', path: '/a/c', value: 2 }], { a: { b: 1, c: 2 }, list: [1, 2, 3] }],
    [[{ op: 'add', path: '/list/-', value: 4 }], { a: { b: 1 }, list: [1, 2, 3, 4] }],
    [[{ op: 'add', path: '/list/0', value: 0 }], { a: { b: 1 }, list: [0, 1, 2, 3] }],
    [[{ op: 'remove', path: '/list/1' }], { a: { b: 1 }, list: [1, 3] }],
    [[{ op: 'replace', path: '/a/b', value: 9 }], { a: { b: 9 }, list: [1, 2, 3] }],
    [[{ op: 'move', from: '/a/b', path: '/moved' }], { a: {}, list: [1, 2, 3], moved: 1 }],
    [[{ op: 'copy', from: '/a', path: '/copy' }], { a: { b: 1 }, list: [1, 2, 3], copy: { b: 1 } }],
    [[{ op: 'test', path: '/a/b', value: 1 }], doc],
    [[{ op: 'add', path: '/a~1b', value: 1 }], { a: { b: 1 }, list: [1, 2, 3], 'a/b': 1 }],
  ])('%j', (patch, expected) => {
    expect(applyJSONPatch(doc, patch)).toEqual(expected);
  });

  it.each([
    [[{ op: 'test', path: '/a/b', value: 2 }], 422],
    [[{ op: 'remove', path: '/missing' }], 422],
    [[{ op: 'replace', path: '/missing/x', value: 1 }], 422],
    [[{ op: 'add', path: '/list/9', value: 1 }], 422],
    [{ op: 'add' }, 400],
    [[{ op: 'frobnicate', path: '/a' }], 400],
  ])('%j fails with %d', (patch, code) => {
    expect(codeOf(() => applyJSONPatch(doc, patch))).toBe(code);
  });

  it('does not change its input', () => {
    const input = { a: [1] };
    applyJSONPatch(input, [{ op: 'add', path: '/a/-', value: 2 }]);
    expect(input).toEqual({ a: [1] });
  });
});

describe('merge patch', () => {
  it.each([
    [{ a: 1, b: { c: 1, d: 2 } }, { b: { c: null, e: 3 } }, { a: 1, b: { d: 2, e: 3 } }],
    [{ list: [1, 2] }, { list: [3] }, { list: [3] }],
    [{ a: 1 }, { a: { nested: true } }, { a: { nested: true } }],
    [{ a: 1 }, {}, { a: 1 }],
  ])('%j + %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});
