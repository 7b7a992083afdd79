import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../status.ts';
import { ratchet } from './ratcheting.ts';

const invalid = (field: string): FieldError => ({ type: 'FieldValueInvalid', field, detail: 'x' });

describe('ratchet', () => {
  it('keeps errors about changed values only, following keys, indexes and scale paths', () => {
    const old = { spec: { ports: [{ port: 0 }, { port: 1 }], size: 'huge' }, status: { replicas: -1 } };
    const object = { spec: { ports: [{ port: 0 }, { port: 70000 }], size: 'huge' }, status: { replicas: -1 } };
    const errors = [
      invalid('spec.ports[0].port'),
      invalid('spec.ports[1].port'),
      invalid('spec.size'),
      invalid('.status.replicas'),
      { type: 'FieldValueRequired', field: 'spec.name' } as FieldError,
      invalid('<nil>'),
    ];
    expect(ratchet(errors, object, old).map((e) => e.field)).toEqual(['spec.ports[1].port', '<nil>']);
  });
});
