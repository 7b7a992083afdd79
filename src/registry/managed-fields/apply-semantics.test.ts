/**
 * Server-side apply, table by table, from the documented semantics (kubernetes.io "Server-Side Apply"):
 * ownership per list-type map element and per set value, atomic lists, shared ownership and its
 * transfer, forced takeover, removal of fields a manager stops applying, and the conflict message.
 */
import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { patchSchemaFor } from '../patch/patch-schema.ts';
import { applyConfiguration, type FieldManagerRequest, recordUpdate } from './managed-fields.ts';

const schema = patchSchemaFor('apps', 'v1', 'Deployment');
const as = (manager: string): FieldManagerRequest => ({
  manager,
  apiVersion: 'apps/v1',
  schema,
  now: '2024-01-01T00:00:00Z',
  resetsStatus: true,
});

interface Spec {
  replicas?: number;
  template?: { spec: { containers: Record<string, unknown>[] } };
}
/** A manifest; without `spec` it applies none (an empty `spec: {}` would own the spec map itself). */
const config = (spec?: Spec, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', ...metadata },
  ...(spec ? { spec } : {}),
});
const containers = (...list: Record<string, unknown>[]): Spec => ({ template: { spec: { containers: list } } });

/** Applies a series of [manager, configuration, force] steps from nothing and returns the last object. */
function series(steps: [string, KubeObject, boolean?][]): KubeObject {
  let live: KubeObject | undefined;
  for (const [manager, applied, force] of steps) live = applyConfiguration(live, applied, as(manager), force === true);
  return live as KubeObject;
}

const conflictOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (isStatusError(err)) {
      expect(err.code).toBe(409);
      return err.message;
    }
    throw err;
  }
  return '';
};
const containersOf = (o: KubeObject) => (o.spec as Spec).template?.spec.containers;
const owners = (o: KubeObject) => (o.metadata.managedFields ?? []).map((e) => e.manager).sort();

describe('server-side apply: granularity', () => {
  it('owns list-type map elements separately: two appliers keep their own containers', () => {
    const both = series([
      ['a', config(containers({ name: 'web', image: 'nginx' }))],
      ['b', config(containers({ name: 'side', image: 'busybox' }))],
    ]);
    expect(containersOf(both)?.map((c) => c.name)).toEqual(['web', 'side']);
    // a stops applying its container: only a's element goes.
    const dropped = applyConfiguration(both, config(), as('a'), false);
    expect(containersOf(dropped)).toEqual([{ name: 'side', image: 'busybox' }]);
    expect(owners(dropped)).toEqual(['b']);
  });

  it('owns set values separately: finalizers from two appliers are kept together', () => {
    const both = series([
      ['a', config(undefined, { finalizers: ['example.com/a'] })],
      ['b', config(undefined, { finalizers: ['example.com/b'] })],
    ]);
    expect(both.metadata.finalizers).toEqual(['example.com/a', 'example.com/b']);
    const fields = both.metadata.managedFields?.find((e) => e.manager === 'b')?.fieldsV1;
    expect(fields).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"example.com/b"': {} } } });
  });

  it.each([
    ['an atomic list (args)', { name: 'web', args: ['x'] }, { name: 'web', args: ['y'] }, '.args'],
    ['a scalar in a shared element', { name: 'web', image: 'a' }, { name: 'web', image: 'b' }, '.image'],
  ])('conflicts on %s set differently by another applier', (_name, first, second, leaf) => {
    const live = series([['a', config(containers(first))]]);
    expect(conflictOf(() => applyConfiguration(live, config(containers(second)), as('b'), false))).toBe(
      `Apply failed with 1 conflict: conflict with "a": .spec.template.spec.containers[name="web"]${leaf}`,
    );
  });
});

describe('server-side apply: ownership', () => {
  it('shares a field applied with the same value; it stays until its last owner stops applying it', () => {
    const shared = series([
      ['a', config({ replicas: 2 })],
      ['b', config({ replicas: 2 })],
    ]);
    const aLeft = applyConfiguration(shared, config(), as('a'), false);
    expect((aLeft.spec as Spec).replicas).toBe(2);
    const bLeft = applyConfiguration(aLeft, config(), as('b'), false);
    expect((bLeft.spec as Spec | undefined)?.replicas).toBeUndefined();
  });

  it('forcing takes a field over: the old owner then conflicts with the new one', () => {
    const forced = series([
      ['a', config({ replicas: 1 })],
      ['b', config({ replicas: 3 }), true],
    ]);
    expect((forced.spec as Spec).replicas).toBe(3);
    expect(owners(forced)).toEqual(['b']);
    expect(conflictOf(() => applyConfiguration(forced, config({ replicas: 1 }), as('a'), false))).toBe(
      'Apply failed with 1 conflict: conflict with "b": .spec.replicas',
    );
  });

  it('an Update writer owns what it changed and conflicts with the applier, naming its API version', () => {
    const live = series([['kubectl', config({ replicas: 1 }, { labels: { app: 'web' } })]]);
    const scaled = structuredClone(live);
    (scaled.spec as Spec).replicas = 4;
    recordUpdate(live, scaled, as('kubectl-scale'));
    expect(scaled.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([
      ['kubectl', 'Apply'],
      ['kubectl-scale', 'Update'],
    ]);
    expect(
      conflictOf(() =>
        applyConfiguration(scaled, config({ replicas: 1 }, { labels: { app: 'web' } }), as('kubectl'), false),
      ),
    ).toBe('Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
    // The applier that gives the field up by not applying it leaves the Update writer's value alone.
    const released = applyConfiguration(scaled, config(undefined, { labels: { app: 'web' } }), as('kubectl'), false);
    expect((released.spec as Spec).replicas).toBe(4);
  });

  it('a removed map key goes; keys another applier owns stay', () => {
    const live = series([
      ['a', config(undefined, { labels: { x: '1', y: '2' } })],
      ['b', config(undefined, { labels: { z: '3' } })],
    ]);
    const out = applyConfiguration(live, config(undefined, { labels: { x: '1' } }), as('a'), false);
    expect(out.metadata.labels).toEqual({ x: '1', z: '3' });
  });
});
