import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { admin, newTestRegistry, statusOf } from './testing/test-registry.ts';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', shortNames: ['wd'], listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};

async function withCRD() {
  const t = await newTestRegistry();
  const crdDef = t.def('customresourcedefinitions', 'apiextensions.k8s.io');
  const created = await t.registry.create(crdDef, undefined, crd, admin);
  return { t, crdDef, created: created.object };
}

describe('custom resources', () => {
  it('a CRD is Established at once and its versions are served', async () => {
    const { t, created } = await withCRD();
    const conditions = (created.status as { conditions: { type: string; status: string }[] }).conditions;
    expect(conditions.map((c) => [c.type, c.status])).toEqual([
      ['NamesAccepted', 'True'],
      ['Established', 'True'],
    ]);
    expect((created.status as { storedVersions: string[] }).storedVersions).toEqual(['v1']);
    const v1 = t.registry.resources.lookup('example.com', 'v1', 'widgets');
    expect(v1).toMatchObject({
      kind: 'Widget',
      singular: 'widget',
      namespaced: true,
      shortNames: ['wd'],
      subresources: [{ name: 'status' }],
    });
    expect(t.registry.resources.lookup('example.com', 'v1beta1', 'widgets')?.subresources).toBeUndefined();
  });

  it('objects are shared between versions and keep generation and status rules', async () => {
    const { t } = await withCRD();
    const v1 = t.def('widgets', 'example.com', 'v1');
    const beta = t.def('widgets', 'example.com', 'v1beta1');
    const w = await t.registry.create(
      v1,
      'default',
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 }, status: { x: 1 } },
      admin,
    );
    expect(w.object.metadata.generation).toBe(1);
    expect(w.object.status).toBeUndefined();
    const asBeta = (await t.registry.get(beta, 'default', 'w', {}, admin)) as KubeObject;
    expect(asBeta).toMatchObject({ apiVersion: 'example.com/v1beta1', spec: { size: 1 } });
    const list = await t.registry.list(beta, 'default', {}, admin);
    expect(list.kind).toBe('WidgetList');
    expect(list.items).toMatchObject([{ apiVersion: 'example.com/v1beta1', kind: 'Widget' }]);
    const encoded = await t.registry.listEncoded?.(v1, 'default', {}, admin);
    expect(JSON.parse(Buffer.concat([...(encoded?.items.chunks(1024) ?? [])]).toString())).toMatchObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
    });
    const patched = await t.registry.patch(v1, 'default', 'w', 'merge', { spec: { size: 2 } }, admin);
    expect(patched.object.metadata.generation).toBe(2);
    expect((await statusOf(t.registry.patch(v1, 'default', 'w', 'strategic', { spec: { size: 3 } }, admin))).code).toBe(
      415,
    );
  });

  it('deleting the CRD stops serving it and removes its objects', async () => {
    const { t, crdDef } = await withCRD();
    const v1 = t.def('widgets', 'example.com', 'v1');
    await t.registry.create(v1, 'default', { metadata: { name: 'w' } }, admin);
    await t.registry.delete(crdDef, undefined, 'widgets.example.com', {}, admin);
    expect(t.registry.resources.lookup('example.com', 'v1', 'widgets')).toBeUndefined();
    expect((await t.store.list('/registry/example.com/widgets/')).kvs).toEqual([]);
  });

  it('stored CRDs are served again after a restart', async () => {
    const { t } = await withCRD();
    const restarted = await newTestRegistry({ store: t.store });
    expect(restarted.registry.resources.lookup('example.com', 'v1', 'widgets')).toBeDefined();
  });

  it('a CRD must be named <plural>.<group>', async () => {
    const t = await newTestRegistry();
    const s = await statusOf(
      t.registry.create(
        t.def('customresourcedefinitions', 'apiextensions.k8s.io'),
        undefined,
        { ...crd, metadata: { name: 'wrong.example.com' } },
        admin,
      ),
    );
    expect(s.code).toBe(422);
  });
});
