import { describe, expect, it } from 'vitest';
import { isStatusError } from '../status.ts';
import { parseFieldSelector } from './field-selector.ts';

const fields: Record<string, string> = { 'metadata.name': 'web-1', 'status.phase': 'Running', 'spec.nodeName': '' };
const get = (f: string) => fields[f];

describe('parseFieldSelector', () => {
  it.each([
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name!=web-1', false],
    ['status.phase!=Failed,status.phase!=Succeeded', true],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
  ])('%s matches %s', (selector, expected) => {
    expect(parseFieldSelector(selector).matches(get)).toBe(expected);
  });

  it('unescapes values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b').matches(() => 'a,b')).toBe(true);
  });

  it('reports the exact value for a field', () => {
    expect(parseFieldSelector('metadata.namespace=x,metadata.name=web').exactValue('metadata.name')).toBe('web');
    expect(parseFieldSelector('metadata.name!=web').exactValue('metadata.name')).toBeUndefined();
  });

  it('rejects a term without an operator', () => {
    try {
      parseFieldSelector('metadata.name');
      expect.unreachable();
    } catch (err) {
      expect(isStatusError(err) && err.code).toBe(400);
    }
  });
});
