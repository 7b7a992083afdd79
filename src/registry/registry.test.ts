import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { admin, newTestRegistry, statusOf } from './testing/test-registry.ts';

describe('registry basics', () => {
  it('seeds system namespaces and the kubernetes service', async () => {
    const t = await newTestRegistry();
    const namespaces = await t.registry.list(t.def('namespaces'), undefined, {}, admin);
    expect(namespaces.items.map((n) => n.metadata.name).sort()).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    const svc = (await t.registry.get(t.def('services'), 'default', 'kubernetes', {}, admin)) as KubeObject;
    expect((svc.spec as { clusterIP: string }).clusterIP).toBe('10.96.0.1');
    const again = await newTestRegistry({ store: t.store });
    expect((await again.registry.list(t.def('namespaces'), undefined, {}, admin)).items).toHaveLength(4);
  });

  it('creates with server-owned fields and reads back the same object', async () => {
    const t = await newTestRegistry();
    const cm = await t.create('configmaps', {
      metadata: { name: 'a', uid: 'mine', creationTimestamp: null },
      data: { k: 'v' },
    });
    expect(cm.metadata).toMatchObject({ name: 'a', namespace: 'default', creationTimestamp: '2026-11-22T21:54:24Z' });
    expect(cm.metadata.uid).toMatch(/^uid-\d+$/);
    expect(cm.metadata.generation).toBeUndefined();
    expect(cm.kind).toBe('ConfigMap');
    const got = await t.registry.get(t.def('configmaps'), 'default', 'a', {}, admin);
    expect(got).toEqual(cm);
  });

  it('lists without kind on items, with the list kind and revision', async () => {
    const t = await newTestRegistry();
    await t.create('configmaps', { metadata: { name: 'a' } });
    const list = await t.registry.list(t.def('configmaps'), 'default', {}, admin);
    expect(list.kind).toBe('ConfigMapList');
    expect(list.apiVersion).toBe('v1');
    expect(list.items[0]?.kind).toBeUndefined();
    expect(list.metadata.resourceVersion).toBe(String(await t.store.currentRevision()));
    expect((await t.registry.list(t.def('secrets'), 'default', {}, admin)).items).toEqual([]);
  });

  it('answers 409 AlreadyExists, 404 for a missing namespace, 400 for a namespace mismatch', async () => {
    const t = await newTestRegistry();
    await t.create('configmaps', { metadata: { name: 'a' } });
    expect(await statusOf(t.create('configmaps', { metadata: { name: 'a' } }))).toMatchObject({
      code: 409,
      message: 'configmaps "a" already exists',
    });
    expect(await statusOf(t.create('configmaps', { metadata: { name: 'a' } }, 'nope'))).toMatchObject({
      code: 404,
      message: 'namespaces "nope" not found',
    });
    expect(await statusOf(t.create('configmaps', { metadata: { name: 'b', namespace: 'kube-system' } }))).toMatchObject(
      {
        code: 400,
        message: 'the namespace of the provided object does not match the namespace sent on the request',
      },
    );
    expect(await statusOf(t.create('configmaps', { kind: 'Secret', metadata: { name: 'c' } }))).toMatchObject({
      code: 400,
    });
  });

  it('updates with a resourceVersion precondition', async () => {
    const t = await newTestRegistry();
    const cm = await t.create('configmaps', { metadata: { name: 'a' }, data: { k: '1' } });
    const def = t.def('configmaps');
    const updated = await t.registry.update(def, 'default', 'a', { ...cm, data: { k: '2' } }, admin);
    expect(updated.object.data).toEqual({ k: '2' });
    expect(Number(updated.object.metadata.resourceVersion)).toBeGreaterThan(Number(cm.metadata.resourceVersion));
    expect(await statusOf(t.registry.update(def, 'default', 'a', { ...cm, data: { k: '3' } }, admin))).toMatchObject({
      code: 409,
      reason: 'Conflict',
    });
    expect(await statusOf(t.registry.update(def, 'default', 'a', { metadata: { name: 'b' } }, admin))).toMatchObject({
      code: 400,
    });
  });

  it('deletes and answers 404 afterwards', async () => {
    const t = await newTestRegistry();
    await t.create('configmaps', { metadata: { name: 'a' } });
    const def = t.def('configmaps');
    const result = await t.registry.delete(def, 'default', 'a', {}, admin);
    expect(result.pending).toBe(false);
    expect(await statusOf(t.registry.get(def, 'default', 'a', {}, admin))).toMatchObject({
      code: 404,
      message: 'configmaps "a" not found',
    });
  });

  it('refuses a pod without containers with 422', async () => {
    const t = await newTestRegistry();
    expect(await statusOf(t.create('pods', { metadata: { name: 'p' }, spec: {} }))).toMatchObject({
      code: 422,
      message: 'Pod "p" is invalid: spec.containers: Required value',
    });
  });
});
