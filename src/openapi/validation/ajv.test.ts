import { describe, expect, it } from 'vitest';
import { createAjv } from './ajv.ts';
import { schemaFormats } from './string-formats.ts';

describe('createAjv', () => {
  it('reports every error, ignores x-kubernetes keywords and unknown formats, checks registered formats on strings only', () => {
    const ajv = createAjv({ even: (v) => v.length % 2 === 0 });
    const validate = ajv.compile({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        a: { format: 'even' },
        b: { type: 'string', format: 'no-such-format' },
        c: { type: 'integer' },
      },
    });
    expect(validate({ a: 'ab', b: 'anything', c: 1 })).toBe(true);
    expect(validate({ a: 7, c: 2 })).toBe(true);
    expect(validate({ a: 'abc', c: 'x' })).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toEqual(['format', 'type']);
  });

  it('CRD string formats: byte is the base64 check of wire decoding', () => {
    const ajv = createAjv(schemaFormats);
    const validate = ajv.compile({ type: 'string', format: 'byte' });
    expect(validate('aGVsbG8=')).toBe(true);
    expect(validate('not base64!')).toBe(false);
    expect(ajv.compile({ type: 'string', format: 'ipv4' })('10.0.0.256')).toBe(false);
  });
});
