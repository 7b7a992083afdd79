/** test/e2e/storage/persistent_volumes.go (CSI Conformance) and csi_inline.go: PV/PVC and inline CSI volume API. */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectStatus } from '../../helpers/expect-status.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const busyboxImage = 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1';
type Condition = { type: string; status: string; reason?: string; message?: string };

/**
 * One PV (CSI source, storage class named after the namespace, labelled for the namespace's pool)
 * and one claim asking for the same class, as upstream's CreatePVsPVCs makes them.
 */
async function createVolumeAndClaim(ctx: ConformanceContext, driver: string, handle: string) {
  const ns = ctx.namespace;
  const pvs = ctx.client.resource(resources.persistentVolumes);
  const pool = { 'e2e-pv-pool': ns };
  const pv = await pvs.create({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { generateName: `${ns}-`, labels: pool },
    spec: {
      capacity: { storage: '2Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: ns,
      csi: { driver, volumeHandle: handle },
    },
  });
  ctx.defer(() => pvs.delete(pv.metadata.name ?? '').catch(() => undefined));
  const pvc = await ctx.client.resource(resources.persistentVolumeClaims).create({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { generateName: 'pvc-', namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, storageClassName: ns },
  });
  return { pvName: pv.metadata.name ?? '', pvcName: pvc.metadata.name ?? '', poolSelector: `e2e-pv-pool=${ns}` };
}

const newer = (before: KubeObject, after: KubeObject) =>
  BigInt(after.metadata.resourceVersion ?? '0') > BigInt(before.metadata.resourceVersion ?? '0');

export const volumeTests = [
  conformanceTest({
    codename:
      '[sig-storage] PersistentVolumes CSI Conformance should run through the lifecycle of a PV and a PVC [Conformance]',
    area: 'storage-objects',
    needs: ['crud', 'patch', 'label-selector', 'deletecollection'],
    timeoutMs: 90_000,
    async run(ctx) {
      const ns = ctx.namespace;
      const pvs = ctx.client.resource(resources.persistentVolumes);
      const pvcs = ctx.client.resource(resources.persistentVolumeClaims);
      const driver = ctx.uniqueName('inline-driver');
      const first = await createVolumeAndClaim(ctx, driver, 'e2e-conformance');
      const pvList = await pvs.list({ labelSelector: first.poolSelector });
      assert.equal(pvList.items.length, 1, 'one PV in the pool');
      const [initialPV] = pvList.items;
      const pvcList = await pvcs.list({ namespace: ns });
      assert.equal(pvcList.items.length, 1, 'one PVC in the namespace');
      const [initialPVC] = pvcList.items;
      assert.ok(
        initialPV?.metadata.resourceVersion && initialPVC?.metadata.resourceVersion,
        'both have resourceVersions',
      );

      const patchedPV = await pvs.patch(first.pvName, undefined, 'strategic', {
        metadata: { labels: { [first.pvName]: 'patched' } },
      });
      assert.equal(patchedPV.metadata.labels?.[first.pvName], 'patched');
      assert.ok(newer(initialPV, patchedPV), 'the patched PV has a larger resourceVersion');
      const patchedPVC = await pvcs.patch(first.pvcName, ns, 'strategic', {
        metadata: { labels: { [first.pvcName]: 'patched' } },
      });
      assert.equal(patchedPVC.metadata.labels?.[first.pvcName], 'patched');
      assert.ok(newer(initialPVC, patchedPVC), 'the patched PVC has a larger resourceVersion');
      assert.equal((await pvs.get(first.pvName)).metadata.uid, patchedPV.metadata.uid);
      assert.equal((await pvcs.get(first.pvcName, ns)).metadata.uid, patchedPVC.metadata.uid);

      await pvcs.delete(first.pvcName, ns);
      await eventually(async () => assert.equal((await pvcs.list({ namespace: ns })).items.length, 0), {
        what: 'PVC deleted',
        signal: ctx.signal,
      });
      await pvs.delete(first.pvName);
      await eventually(
        async () => assert.equal((await pvs.list({ labelSelector: first.poolSelector })).items.length, 0),
        {
          what: 'PV deleted',
          signal: ctx.signal,
        },
      );

      const second = await createVolumeAndClaim(ctx, driver, 'e2e-conformance');
      const pvSelector = `${second.pvName}=updated`;
      const pvcSelector = `${second.pvcName}=updated`;
      const updatedPV = await retryOnConflict(async () => {
        const pv = await pvs.get(second.pvName);
        pv.metadata.labels = { ...pv.metadata.labels, [second.pvName]: 'updated' };
        return pvs.update(pv);
      });
      assert.equal(updatedPV.metadata.labels?.[second.pvName], 'updated');
      const updatedPVC = await retryOnConflict(async () => {
        const pvc = await pvcs.get(second.pvcName, ns);
        pvc.metadata.labels = { [second.pvcName]: 'updated' };
        return pvcs.update(pvc);
      });
      assert.equal(updatedPVC.metadata.labels?.[second.pvcName], 'updated');
      assert.equal((await pvcs.list({ labelSelector: pvcSelector })).items.length, 1, 'cluster-wide PVC list by label');

      await pvcs.deleteCollection({ namespace: ns, labelSelector: pvcSelector });
      await eventually(
        async () => assert.equal((await pvcs.list({ namespace: ns, labelSelector: pvcSelector })).items.length, 0),
        {
          what: 'PVC deleted by collection',
          signal: ctx.signal,
        },
      );
      await pvs.deleteCollection({ labelSelector: pvSelector });
      await eventually(async () => assert.equal((await pvs.list({ labelSelector: pvSelector })).items.length, 0), {
        what: 'PV deleted by collection',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename: '[sig-storage] PersistentVolumes CSI Conformance should apply changes to a pv/pvc status [Conformance]',
    area: 'storage-objects',
    needs: ['status-subresource', 'patch', 'label-selector'],
    async run(ctx) {
      const ns = ctx.namespace;
      const pvs = ctx.client.resource(resources.persistentVolumes);
      const pvcs = ctx.client.resource(resources.persistentVolumeClaims);
      const { pvName, pvcName, poolSelector } = await createVolumeAndClaim(
        ctx,
        ctx.uniqueName('e2e-driver'),
        'e2e-status-conformance',
      );
      assert.equal((await pvs.list({ labelSelector: poolSelector })).items.length, 1, 'one PV in the pool');
      assert.equal((await pvcs.list({ namespace: ns })).items.length, 1, 'one PVC in the namespace');

      const pvcStatus = await ctx.api.getJson<KubeObject>(
        `/api/v1/namespaces/${ns}/persistentvolumeclaims/${pvcName}/status`,
      );
      const pvcPhase = (statusOf(pvcStatus) as { phase?: string }).phase;
      assert.ok(pvcPhase === 'Pending' || pvcPhase === 'Bound', `PVC phase from /status: ${pvcPhase}`);
      const pvStatus = await ctx.api.getJson<KubeObject>(`/api/v1/persistentvolumes/${pvName}/status`);
      const pvPhase = (statusOf(pvStatus) as { phase?: string }).phase;
      assert.ok(['Available', 'Bound', 'Pending'].includes(pvPhase ?? ''), `PV phase from /status: ${pvPhase}`);

      const conditionsOf = (o: KubeObject) => (statusOf(o).conditions ?? []) as Condition[];
      const patchedPVC = await pvcs.patch(
        pvcName,
        ns,
        'merge',
        {
          status: {
            conditions: [
              { type: 'StatusPatched', status: 'True', reason: 'E2E patchedStatus', message: 'Set from e2e test' },
            ],
          },
        },
        { subresource: 'status' },
      );
      assert.ok(
        conditionsOf(patchedPVC).some((c) => c.type === 'StatusPatched' && c.reason === 'E2E patchedStatus'),
        'the PVC carries the patched condition',
      );
      const patchedPV = await pvs.patch(
        pvName,
        undefined,
        'merge',
        { status: { message: 'StatusPatched', reason: 'E2E patchStatus' } },
        { subresource: 'status' },
      );
      const pvStatusAfterPatch = statusOf(patchedPV) as { message?: string; reason?: string };
      assert.equal(pvStatusAfterPatch.message, 'StatusPatched');
      assert.equal(pvStatusAfterPatch.reason, 'E2E patchStatus');

      const updatedPVC = await retryOnConflict(async () => {
        const current = await pvcs.get(pvcName, ns);
        statusOf(current).conditions = [
          ...conditionsOf(current),
          { type: 'StatusUpdated', status: 'True', reason: 'E2E updateStatus', message: 'Set from e2e test' },
        ];
        return pvcs.updateStatus(current);
      });
      assert.ok(
        conditionsOf(updatedPVC).some((c) => c.type === 'StatusUpdated' && c.reason === 'E2E updateStatus'),
        'the PVC carries the updated condition',
      );
      const updatedPV = await retryOnConflict(async () => {
        const current = await pvs.get(pvName);
        current.status = { ...statusOf(current), message: 'StatusUpdated', reason: 'E2E updateStatus' };
        return pvs.updateStatus(current);
      });
      assert.equal((statusOf(updatedPV) as { message?: string }).message, 'StatusUpdated');
      assert.equal((statusOf(updatedPV) as { reason?: string }).reason, 'E2E updateStatus');
    },
  }),
  conformanceTest({
    codename: '[sig-storage] CSIInlineVolumes should support CSIVolumeSource in Pod API [Conformance]',
    area: 'storage-objects',
    needs: ['crud', 'patch'],
    async run(ctx) {
      const ns = ctx.namespace;
      const pods = ctx.client.resource(resources.pods);
      const name = 'pod-csi-inline-volumes';
      const driver = 'e2e.example.com';
      const podObject: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns },
        spec: {
          volumes: [
            { name: 'csi-inline-vol1', csi: { driver } },
            { name: 'csi-inline-vol2', csi: { driver, fsType: 'ext4', readOnly: true } },
          ],
          containers: [
            {
              name,
              image: busyboxImage,
              command: ['sh', '-c', 'ls /mnt/*'],
              volumeMounts: [
                { name: 'csi-inline-vol1', mountPath: '/mnt/vol1' },
                { name: 'csi-inline-vol2', mountPath: '/mnt/vol2' },
              ],
            },
          ],
        },
      };
      const created = await pods.create(podObject);
      await expectStatus(pods.create(podObject), 409);
      assert.equal((await pods.get(name, ns)).metadata.uid, created.metadata.uid);
      assert.equal((await pods.list({ namespace: ns })).items.length, 1, 'one pod in the namespace');
      const patched = await pods.patch(name, ns, 'merge', { metadata: { annotations: { patched: 'true' } } });
      assert.equal(patched.metadata.annotations?.patched, 'true');
      await pods.delete(name, ns);
      try {
        const after = await pods.get(name, ns);
        assert.ok(after.metadata.deletionTimestamp, 'a pod still present after delete is terminating');
      } catch (err) {
        await expectStatus(Promise.reject(err), 404);
      }
    },
  }),
];
