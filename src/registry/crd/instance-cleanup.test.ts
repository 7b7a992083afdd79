import { describe, expect, it } from 'vitest';
import { eventually } from '../../controllers/runtime/eventually.ts';
import type { KubeObject } from '../../types/meta.ts';
import { admin, newTestRegistry, statusOf } from '../testing/test-registry.ts';
import { widget, widgetCRD } from './testing/widget-crd.ts';

const crdName = 'widgets.example.com';

async function withWidgets() {
  const t = await newTestRegistry();
  const crdDef = t.def('customresourcedefinitions', 'apiextensions.k8s.io');
  await t.registry.create(crdDef, undefined, widgetCRD(), admin);
  const v1 = () => t.def('widgets', 'example.com', 'v1');
  const create = (body: object) => t.registry.create(v1(), 'default', body, admin);
  const getCRD = async () => (await t.registry.get(crdDef, undefined, crdName, {}, admin)) as KubeObject;
  return { t, crdDef, v1, create, getCRD };
}

describe('deleting a CRD (customresourcecleanup finalizer)', () => {
  it('deletes objects without finalizers, then the CRD, and stops serving it', async () => {
    const { t, crdDef, create } = await withWidgets();
    await create(widget('gone'));
    const result = await t.registry.delete(crdDef, undefined, crdName, {}, admin);
    expect(result.pending).toBe(true);
    expect((await t.store.list('/registry/example.com/widgets/')).kvs).toEqual([]);
    expect((await statusOf(t.registry.get(crdDef, undefined, crdName, {}, admin))).code).toBe(404);
    expect(t.registry.resources.lookup('example.com', 'v1', 'widgets')).toBeUndefined();
  });

  it('waits for objects held by their own finalizers, refusing new objects while Terminating', async () => {
    const { t, crdDef, v1, create, getCRD } = await withWidgets();
    await create({ ...widget('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await create(widget('free'));
    await t.registry.delete(crdDef, undefined, crdName, {}, admin);

    const crd = await getCRD();
    expect(crd.metadata.deletionTimestamp).toBeDefined();
    expect(crd.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    const terminating = (crd.status as { conditions: Record<string, string>[] }).conditions.find(
      (c) => c.type === 'Terminating',
    );
    expect(terminating).toMatchObject({
      status: 'True',
      reason: 'InstanceDeletionInProgress',
      message: 'CustomResource deletion is in progress',
    });
    const held = (await t.registry.get(v1(), 'default', 'held', {}, admin)) as KubeObject;
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect((await statusOf(t.registry.get(v1(), 'default', 'free', {}, admin))).code).toBe(404);

    const refused = await statusOf(create(widget('late')));
    expect(refused.code).toBe(405);
    expect(refused.reason).toBe('MethodNotAllowed');
    expect(refused.message).toBe('create not allowed while custom resource definition is terminating');

    // The object's controller lets go: the object goes, then the CRD.
    await t.registry.patch(v1(), 'default', 'held', 'merge', { metadata: { finalizers: null } }, admin);
    await eventually(async () => {
      expect((await statusOf(t.registry.get(crdDef, undefined, crdName, {}, admin))).code).toBe(404);
    });
    expect(t.registry.resources.lookup('example.com', 'v1', 'widgets')).toBeUndefined();
  });

  it('a CRD created again after the cleanup serves an empty collection', async () => {
    const { t, crdDef, v1, create } = await withWidgets();
    await create(widget('old'));
    await t.registry.delete(crdDef, undefined, crdName, {}, admin);
    await t.registry.create(crdDef, undefined, widgetCRD(), admin);
    expect((await t.registry.list(v1(), 'default', {}, admin)).items).toEqual([]);
    await create(widget('new'));
  });
});
