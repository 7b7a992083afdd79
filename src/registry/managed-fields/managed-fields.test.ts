import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { patchSchemaFor } from '../patch/patch-schema.ts';
import { FieldSet, formatPath } from './field-set.ts';
import { applyConfiguration, type FieldManagerRequest, recordUpdate } from './managed-fields.ts';

const schema = patchSchemaFor('apps', 'v1', 'Deployment');
const request = (manager: string, now = '2024-01-01T00:00:00Z'): FieldManagerRequest => ({
  manager,
  apiVersion: 'apps/v1',
  schema,
  now,
  resetsStatus: true,
});

function deployment(spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}) },
    spec,
  };
}
const template = (...containers: Record<string, unknown>[]) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers },
});

function fieldsOf(object: KubeObject, manager: string): unknown {
  return object.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1;
}

describe('field sets', () => {
  it('round-trip fieldsV1 and set algebra', () => {
    const v1 = {
      'f:spec': { 'f:replicas': {}, 'f:selector': {} },
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
    };
    const set = FieldSet.fromFieldsV1(v1) as FieldSet;
    expect(set.toFieldsV1()).toEqual(v1);
    const other = FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {} } }) as FieldSet;
    expect(set.intersection(other).toFieldsV1()).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(set.difference(other).paths().map(formatPath)).toEqual([
      '.metadata.labels',
      '.metadata.labels.a',
      '.spec.selector',
    ]);
    expect(FieldSet.fromFieldsV1({ 'x:bad': {} })).toBeUndefined();
  });

  it('formats keyed and set paths as conflict messages do', () => {
    expect(formatPath(['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'])).toBe(
      '.spec.containers[name="web"].image',
    );
    expect(formatPath(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'])).toBe(
      '.ports[containerPort=80,protocol="TCP"]',
    );
    expect(formatPath(['f:metadata', 'f:finalizers', 'v:"a"'])).toBe('.metadata.finalizers[="a"]');
  });
});

describe('Update operations', () => {
  it('gives a creator every field it set, marking added maps and list items', () => {
    const created = deployment({
      replicas: 1,
      template: template({ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }),
    });
    recordUpdate(undefined, created, request('kubectl-create'));
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2024-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': {
                      '.': {},
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('moves a changed field to the new writer and leaves a no-op alone', () => {
    const v1 = deployment({ replicas: 1, paused: false });
    recordUpdate(undefined, v1, request('a'));
    const v2 = structuredClone(v1);
    (v2.spec as { replicas: number }).replicas = 3;
    recordUpdate(v1, v2, request('b', '2024-01-01T00:00:09Z'));
    expect(fieldsOf(v2, 'a')).toEqual({ 'f:spec': { 'f:paused': {} } });
    expect(fieldsOf(v2, 'b')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const v3 = structuredClone(v2);
    recordUpdate(v2, v3, request('c', '2024-01-01T00:01:00Z'));
    expect(v3.metadata.managedFields).toEqual(v2.metadata.managedFields);
  });

  it('takes managedFields the request sets, and resets them on []', () => {
    const v1 = deployment({ replicas: 1 });
    recordUpdate(undefined, v1, request('a'));
    const migrated = structuredClone(v1);
    migrated.metadata.managedFields = [{ ...v1.metadata.managedFields?.[0], manager: 'kubectl', operation: 'Apply' }];
    recordUpdate(v1, migrated, request('kubectl-patch'));
    expect(migrated.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply']]);
    const reset = structuredClone(v1);
    reset.metadata.managedFields = [];
    recordUpdate(v1, reset, request('x'));
    expect(reset.metadata.managedFields).toEqual([]);
  });
});

describe('Apply operations', () => {
  const config = (replicas: number, ...containers: Record<string, unknown>[]) =>
    deployment({ replicas, template: template(...containers) });

  it('owns exactly the applied fields', () => {
    const out = applyConfiguration(undefined, config(1, { name: 'web', image: 'nginx' }), request('kubectl'), false);
    expect(fieldsOf(out, 'kubectl')).toEqual({
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
    expect(out.metadata.managedFields?.[0]?.operation).toBe('Apply');
  });

  it('conflicts on a field another manager owns with another value, unless forced', () => {
    const live = applyConfiguration(undefined, config(1, { name: 'web', image: 'nginx' }), request('kubectl'), false);
    const scaled = structuredClone(live);
    (scaled.spec as { replicas: number }).replicas = 5;
    recordUpdate(live, scaled, request('kubectl-client-side-apply'));
    let message = '';
    try {
      applyConfiguration(scaled, config(2, { name: 'web', image: 'nginx' }), request('kubectl'), false);
    } catch (err) {
      message = isStatusError(err) ? err.message : '';
      expect(isStatusError(err) && err.status.details?.causes).toEqual([
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.replicas',
        },
      ]);
    }
    expect(message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    // The same value is shared ownership, not a conflict.
    const shared = applyConfiguration(scaled, config(5, { name: 'web', image: 'nginx' }), request('kubectl'), false);
    expect(fieldsOf(shared, 'kubectl-client-side-apply')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const forced = applyConfiguration(scaled, config(2, { name: 'web', image: 'nginx' }), request('kubectl'), true);
    expect((forced.spec as { replicas: number }).replicas).toBe(2);
    expect(fieldsOf(forced, 'kubectl-client-side-apply')).toBeUndefined();
  });

  it('lists several conflicts by manager', () => {
    const live = applyConfiguration(undefined, deployment({ replicas: 1, paused: false }), request('a'), false);
    try {
      applyConfiguration(live, deployment({ replicas: 2, paused: true }), request('b'), false);
      expect.unreachable();
    } catch (err) {
      expect(isStatusError(err) && err.message).toBe(
        'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.paused\n- .spec.replicas',
      );
    }
  });

  it('removes fields the applier stops applying, unless someone else owns them', () => {
    const live = applyConfiguration(
      undefined,
      config(1, { name: 'web', image: 'nginx' }, { name: 'side', image: 'busybox' }),
      request('kubectl'),
      false,
    );
    const withEnv = structuredClone(live);
    const containers = (withEnv.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
      .containers;
    (containers[0] as Record<string, unknown>).env = [{ name: 'A', value: '1' }];
    recordUpdate(live, withEnv, request('kubectl-set'));
    const out = applyConfiguration(
      withEnv,
      deployment({ template: template({ name: 'web', image: 'nginx:2' }) }),
      request('kubectl'),
      false,
    );
    const spec = out.spec as { replicas?: number; template: { spec: { containers: unknown[] } } };
    expect(spec.replicas).toBeUndefined();
    expect(spec.template.spec.containers).toEqual([
      { name: 'web', image: 'nginx:2', env: [{ name: 'A', value: '1' }] },
    ]);
  });

  it('keeps managedFields and time on a repeated identical apply', () => {
    const first = applyConfiguration(undefined, config(1, { name: 'web', image: 'nginx' }), request('kubectl'), false);
    const again = applyConfiguration(
      first,
      config(1, { name: 'web', image: 'nginx' }),
      request('kubectl', '2025-01-01T00:00:00Z'),
      false,
    );
    expect(again).toEqual(first);
  });
});

describe('entries a write does not touch', () => {
  it('keep their stored fieldsV1; a changed entry and one not written canonically are encoded afresh', () => {
    const v1 = deployment({ replicas: 1, paused: false });
    recordUpdate(undefined, v1, request('a'));
    const v2 = structuredClone(v1);
    (v2.spec as { paused: boolean }).paused = true;
    recordUpdate(v1, v2, request('b'));
    const stored = structuredClone(v2);
    const next = structuredClone(v2);
    (next.metadata as { labels?: Record<string, string> }).labels = { x: '1' };
    const [fieldsOfA, fieldsOfB] = [fieldsOf(next, 'a'), fieldsOf(next, 'b')];
    recordUpdate(stored, next, request('c'));
    // Neither a's nor b's fields changed: the very objects of the entries (as the request carried them) are kept.
    expect(fieldsOf(next, 'a')).toBe(fieldsOfA);
    expect(fieldsOf(next, 'b')).toBe(fieldsOfB);
    expect(fieldsOf(next, 'c')).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } });
    expect(stored).toEqual(v2);

    const unordered = structuredClone(v2);
    const entry = unordered.metadata.managedFields?.find((e) => e.manager === 'a');
    if (entry) entry.fieldsV1 = { 'f:spec': { 'f:replicas': {} }, 'f:metadata': { 'f:labels': {} } };
    const fixed = structuredClone(unordered);
    (fixed.spec as { paused: boolean }).paused = false;
    recordUpdate(unordered, fixed, request('c'));
    expect(JSON.stringify(fieldsOf(fixed, 'a'))).toBe('{"f:metadata":{"f:labels":{}},"f:spec":{"f:replicas":{}}}');
  });

  it('a re-apply of the same fields with new values keeps the fieldsV1 and moves the time', () => {
    const config = (image: string) =>
      deployment({ replicas: 1, template: template({ name: 'web', image }) }, { app: 'web' });
    const first = applyConfiguration(undefined, config('nginx'), request('kubectl'), false);
    const stored = structuredClone(first);
    const again = applyConfiguration(stored, config('nginx:2'), request('kubectl', '2025-01-01T00:00:00Z'), false);
    expect(fieldsOf(again, 'kubectl')).toBe(fieldsOf(stored, 'kubectl'));
    expect(again.metadata.managedFields?.[0]?.time).toBe('2025-01-01T00:00:00Z');
    // Another object's apply of other fields gets its own set.
    const other = applyConfiguration(stored, deployment({ paused: true }), request('kubectl'), true);
    expect(fieldsOf(other, 'kubectl')).toEqual({ 'f:spec': { 'f:paused': {} } });
    expect(stored).toEqual(first);
  });
});
