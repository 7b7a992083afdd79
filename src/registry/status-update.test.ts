import { describe, expect, it } from 'vitest';
import { admin, newTestRegistry } from './testing/test-registry.ts';

const statusPatch = { metadata: { annotations: { patchedstatus: 'true' }, labels: { patched: 'yes' } } };
const owner = { apiVersion: 'v1', kind: 'ReplicationController', name: 'rc', uid: 'u1' };

describe('status subresource writes', () => {
  it('pods keep labels and annotations from the status patch, never its spec or ownerReferences', async () => {
    const t = await newTestRegistry();
    const def = t.def('pods');
    await t.create('pods', {
      metadata: { name: 'p', ownerReferences: [owner] },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const patch = {
      ...statusPatch,
      metadata: { ...statusPatch.metadata, ownerReferences: [] },
      spec: { containers: [{ name: 'c', image: 'changed' }] },
      status: { message: 'Patched by e2e test', reason: 'E2E' },
    };
    const { object } = await t.registry.patch(def, 'default', 'p', 'merge', patch, admin, { subresource: 'status' });
    expect(object.metadata.annotations).toEqual({ patchedstatus: 'true' });
    expect(object.metadata.labels).toEqual({ patched: 'yes' });
    expect(object.metadata.ownerReferences).toEqual([owner]);
    expect((object.spec as { containers: { image: string }[] }).containers[0]?.image).toBe('nginx');
    expect(object.status).toMatchObject({ message: 'Patched by e2e test', reason: 'E2E' });
    expect(object.metadata.generation).toBe(1);
  });

  it('a CRD keeps annotations from a status patch (its status strategy resets nothing)', async () => {
    const t = await newTestRegistry();
    const def = t.def('customresourcedefinitions', 'apiextensions.k8s.io');
    await t.registry.create(
      def,
      undefined,
      {
        metadata: { name: 'things.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { kind: 'Thing', plural: 'things' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
      admin,
    );
    const { object } = await t.registry.patch(def, undefined, 'things.example.com', 'merge', statusPatch, admin, {
      subresource: 'status',
    });
    expect(object.metadata.annotations).toEqual({ patchedstatus: 'true' });

    const things = t.registry.resources.lookup('example.com', 'v1', 'things');
    if (!things) throw new Error('things not served');
    await t.registry.create(
      things,
      'default',
      { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'a' } },
      admin,
    );
    const thing = await t.registry.patch(
      things,
      'default',
      'a',
      'merge',
      { ...statusPatch, status: { ok: true } },
      admin,
      {
        subresource: 'status',
      },
    );
    // Custom resources copy the stored metadata on /status (customresource statusStrategy).
    expect(thing.object.metadata.annotations).toBeUndefined();
    expect(thing.object.status).toEqual({ ok: true });
  });

  it('flowcontrol status writes keep the stored metadata', async () => {
    const t = await newTestRegistry();
    const def = t.def('flowschemas', 'flowcontrol.apiserver.k8s.io');
    await t.registry.create(
      def,
      undefined,
      { metadata: { name: 'fs' }, spec: { matchingPrecedence: 1, priorityLevelConfiguration: { name: 'x' } } },
      admin,
    );
    const { object } = await t.registry.patch(
      def,
      undefined,
      'fs',
      'merge',
      { ...statusPatch, status: { conditions: [] } },
      admin,
      {
        subresource: 'status',
      },
    );
    expect(object.metadata.annotations).toBeUndefined();
    expect(object.metadata.labels).toBeUndefined();
  });

  it('a CSR status write may not add an approval condition (only /approval may)', async () => {
    const t = await newTestRegistry();
    const def = t.def('certificatesigningrequests', 'certificates.k8s.io');
    await t.registry.create(
      def,
      undefined,
      { metadata: { name: 'csr' }, spec: { request: 'cmVx', signerName: 'example.com/s' } },
      admin,
    );
    const write = (conditions: unknown[], subresource: 'status' | 'approval') =>
      t.registry.patch(def, undefined, 'csr', 'merge', { status: { conditions } }, admin, { subresource });
    await expect(write([{ type: 'Approved', status: 'True' }], 'status')).rejects.toMatchObject({
      status: { code: 422, message: expect.stringContaining('updates may not add a condition of type "Approved"') },
    });
    const { object } = await write([{ type: 'Approved', status: 'True', reason: 'ok' }], 'approval');
    const conditions = (object.status as { conditions?: { type: string }[] }).conditions;
    expect(conditions?.map((c) => c.type)).toEqual(['Approved']);
    // A later /status write that leaves the conditions out keeps the approval.
    const after = await t.registry.patch(
      def,
      undefined,
      'csr',
      'merge',
      { status: { certificate: 'Y2VydA==' } },
      admin,
      {
        subresource: 'status',
      },
    );
    expect((after.object.status as { conditions?: { type: string }[] }).conditions?.map((c) => c.type)).toEqual([
      'Approved',
    ]);
  });
});
