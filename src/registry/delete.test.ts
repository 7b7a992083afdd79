import { describe, expect, it } from 'vitest';
import { deleteResponseBody } from './delete-response.ts';
import { admin, fixedNow, newTestRegistry, statusOf, workloadBody } from './testing/test-registry.ts';

const pod = (name: string, nodeName?: string) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...(nodeName ? { nodeName } : {}) },
});

describe('finalizers', () => {
  it('keep a deleted object until an update removes the last one', async () => {
    const t = await newTestRegistry();
    const def = t.def('configmaps');
    await t.create('configmaps', { metadata: { name: 'a', finalizers: ['example.com/x'] } });
    const pending = await t.registry.delete(def, 'default', 'a', {}, admin);
    expect(pending.pending).toBe(true);
    expect(pending.object.metadata.deletionTimestamp).toBe('2026-11-22T21:54:24Z');
    expect(pending.object.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(deleteResponseBody(def, pending)).toBe(pending.object);

    const current = pending.object;
    const refused = await statusOf(
      t.registry.update(
        def,
        'default',
        'a',
        { ...current, metadata: { ...current.metadata, finalizers: ['example.com/x', 'new'] } },
        admin,
      ),
    );
    expect(refused.code).toBe(422);
    expect(refused.message).toContain('no new finalizers can be added if the object is being deleted');

    await t.registry.update(
      def,
      'default',
      'a',
      { ...current, metadata: { ...current.metadata, finalizers: [] } },
      admin,
    );
    expect((await statusOf(t.registry.get(def, 'default', 'a', {}, admin))).code).toBe(404);
  });

  it.each([
    ['Foreground', 'foregroundDeletion'],
    ['Orphan', 'orphan'],
  ] as const)('propagationPolicy %s adds the %s finalizer', async (propagationPolicy, finalizer) => {
    const t = await newTestRegistry();
    await t.create('deployments', workloadBody('d'), 'default', 'apps');
    const result = await t.registry.delete(t.def('deployments', 'apps'), 'default', 'd', { propagationPolicy }, admin);
    expect(result.pending).toBe(true);
    expect(result.object.metadata.finalizers).toEqual([finalizer]);
    expect(result.object.metadata.generation).toBe(2);
  });

  it('Background deletes at once and answers with a Status', async () => {
    const t = await newTestRegistry();
    const def = t.def('deployments', 'apps');
    await t.create('deployments', workloadBody('d'), 'default', 'apps');
    const result = await t.registry.delete(def, 'default', 'd', { propagationPolicy: 'Background' }, admin);
    expect(result.pending).toBe(false);
    expect(deleteResponseBody(def, result)).toMatchObject({
      status: 'Success',
      details: { name: 'd', group: 'apps', kind: 'deployments' },
    });
  });
});

describe('preconditions', () => {
  it.each([
    [{ uid: 'other' }, 'Precondition failed: UID in precondition: other'],
    [{ resourceVersion: '1' }, 'Precondition failed: ResourceVersion in precondition: 1'],
  ])('%j is a 409', async (preconditions, message) => {
    const t = await newTestRegistry();
    await t.create('configmaps', { metadata: { name: 'a' } });
    const s = await statusOf(t.registry.delete(t.def('configmaps'), 'default', 'a', { preconditions }, admin));
    expect(s.code).toBe(409);
    expect(s.message).toContain(message);
  });
});

describe('graceful pod deletion', () => {
  it('deletes an unbound pod at once and answers with the object', async () => {
    const t = await newTestRegistry();
    const def = t.def('pods');
    await t.create('pods', pod('p'));
    const result = await t.registry.delete(def, 'default', 'p', {}, admin);
    expect(result.pending).toBe(false);
    expect(deleteResponseBody(def, result)).toMatchObject({ kind: 'Pod', metadata: { name: 'p' } });
  });

  it('a bound pod waits for its kubelet, which deletes with grace 0', async () => {
    const t = await newTestRegistry();
    const def = t.def('pods');
    await t.create('pods', pod('p', 'node-1'));
    const pending = await t.registry.delete(def, 'default', 'p', {}, admin);
    expect(pending.pending).toBe(true);
    expect(pending.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(pending.object.metadata.deletionTimestamp).toBe(
      new Date(Math.floor(fixedNow / 1000) * 1000 + 30_000).toISOString().replace('.000Z', 'Z'),
    );
    const shorter = await t.registry.delete(def, 'default', 'p', { gracePeriodSeconds: 5 }, admin);
    expect(shorter.object.metadata.deletionGracePeriodSeconds).toBe(5);
    const done = await t.registry.delete(def, 'default', 'p', { gracePeriodSeconds: 0 }, admin);
    expect(done.pending).toBe(false);
    expect((await statusOf(t.registry.get(def, 'default', 'p', {}, admin))).code).toBe(404);
  });
});

describe('namespaces', () => {
  it('terminate, refuse new content, and go away after finalize', async () => {
    const t = await newTestRegistry();
    const def = t.def('namespaces');
    const created = await t.create('namespaces', { metadata: { name: 'team' } });
    expect(created.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
    expect(created.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(created.status).toEqual({ phase: 'Active' });

    const deleting = await t.registry.delete(def, undefined, 'team', {}, admin);
    expect(deleting.pending).toBe(true);
    expect(deleting.object.status).toEqual({ phase: 'Terminating' });
    const refused = await statusOf(t.create('configmaps', { metadata: { name: 'x' } }, 'team'));
    expect(refused.code).toBe(403);
    expect(refused.message).toBe(
      'configmaps "x" is forbidden: unable to create new content in namespace team because it is being terminated',
    );

    await t.registry.update(def, undefined, 'team', { ...deleting.object, spec: { finalizers: [] } }, admin, {
      subresource: 'finalize',
    });
    expect((await statusOf(t.registry.get(def, undefined, 'team', {}, admin))).code).toBe(404);
  });
});

describe('deletecollection', () => {
  it('deletes what the selectors match and returns it', async () => {
    const t = await newTestRegistry();
    await t.create('configmaps', { metadata: { name: 'a', labels: { x: '1' } } });
    await t.create('configmaps', { metadata: { name: 'b', labels: { x: '2' } } });
    const def = t.def('configmaps');
    const deleted = await t.registry.deleteCollection(def, 'default', { labelSelector: 'x=1' }, {}, admin);
    expect(deleted.items.map((i) => i.metadata.name)).toEqual(['a']);
    expect((await t.registry.list(def, 'default', {}, admin)).items.map((i) => i.metadata.name)).toEqual(['b']);
  });
});
