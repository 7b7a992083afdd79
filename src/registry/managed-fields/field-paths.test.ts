import { describe, expect, it } from 'vitest';
import { patchSchemaFor } from '../patch/patch-schema.ts';
import { fieldSetMatches, fieldSetOf } from './field-paths.ts';

const schema = patchSchemaFor('apps', 'v1', 'Deployment');
const containers = (...items: Record<string, unknown>[]) => ({ spec: { template: { spec: { containers: items } } } });

describe('matching an applied configuration against stored fieldsV1', () => {
  const configs: Record<string, unknown>[] = [
    { spec: { replicas: 1 } },
    { spec: { replicas: 1, paused: null } },
    { metadata: { labels: {} } },
    { metadata: { labels: { app: 'web' } } },
    containers({ name: 'web', image: 'nginx' }),
    containers({ name: 'web', image: 'nginx', ports: [] }),
    containers({ name: 'web', ports: [{ containerPort: 80 }], args: ['-a'] }),
    containers({ name: 'web', resources: {} }, { name: 'side' }),
  ];

  it('agrees with building the set, for the same fields and for others', () => {
    for (const config of configs) {
      for (const stored of configs) {
        const fieldsV1 = fieldSetOf(stored, schema).toFieldsV1();
        const expected = fieldSetOf(config, schema).equalsFieldsV1(fieldsV1);
        expect(fieldSetMatches(config, schema, fieldsV1), JSON.stringify([config, stored])).toBe(expected);
      }
    }
  });

  it('new values of the same fields still match; a changed field or list item does not', () => {
    const fieldsV1 = fieldSetOf(containers({ name: 'web', image: 'nginx' }), schema).toFieldsV1();
    expect(fieldSetMatches(containers({ name: 'web', image: 'nginx:2' }), schema, fieldsV1)).toBe(true);
    expect(fieldSetMatches(containers({ name: 'api', image: 'nginx' }), schema, fieldsV1)).toBe(false);
    expect(fieldSetMatches(containers({ name: 'web' }), schema, fieldsV1)).toBe(false);
  });

  it('says no when list items share a path element, leaving it to the set', () => {
    const twice = containers({ name: 'web', image: 'a' }, { name: 'web', image: 'b' });
    const fieldsV1 = fieldSetOf(twice, schema).toFieldsV1();
    expect(fieldSetOf(twice, schema).equalsFieldsV1(fieldsV1)).toBe(true);
    expect(fieldSetMatches(twice, schema, fieldsV1)).toBe(false);
  });
});
