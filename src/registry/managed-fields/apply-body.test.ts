import { describe, expect, it } from 'vitest';
import { admin, newTestRegistry, statusOf } from '../testing/test-registry.ts';

describe('server-side apply configuration checks', () => {
  const cm = (extra: object) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', ...extra },
    data: { a: '1' },
  });
  const applier = { ...admin, fieldManager: 'tester' };

  it.each([
    ['managedFields, even empty', cm({ managedFields: [] }), 'metadata.managedFields must be nil'],
    [
      'another apiVersion',
      { ...cm({}), apiVersion: 'v2' },
      'Incorrect version specified in apply patch. Specified patch version: v2, expected: v1',
    ],
  ])('refuses a configuration with %s (400)', async (_name, body, message) => {
    const t = await newTestRegistry();
    const refused = await statusOf(t.registry.patch(t.def('configmaps'), 'default', 'c', 'apply', body, applier));
    expect([refused.code, refused.reason, refused.message]).toEqual([400, 'BadRequest', message]);
  });

  it('applies one without managedFields', async () => {
    const t = await newTestRegistry();
    const applied = await t.registry.patch(t.def('configmaps'), 'default', 'c', 'apply', cm({}), applier);
    expect(applied.object.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([['tester', 'Apply']]);
  });
});
