import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  events,
  nodes,
  persistentVolumeClaims,
  persistentVolumes,
  pods,
  storageClasses,
} from '../../client/resources.ts';
import type { ResourceRef } from '../../client/types.ts';
import { nodeObject, podObject, startTestApi, type TestApi } from '../../scheduler/testing/api.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { eventually } from '../runtime/eventually.ts';
import { createInformers } from '../runtime/informer-factory.ts';
import { type RunningController, runController } from '../runtime/run-controller.ts';
import { persistentVolumeController } from './persistent-volume-controller.ts';
import type { PersistentVolume, PersistentVolumeClaim } from './types.ts';

const claimsRef = persistentVolumeClaims as ResourceRef<PersistentVolumeClaim>;
const volumesRef = persistentVolumes as ResourceRef<PersistentVolume>;

function claimObject(name: string, spec: Record<string, unknown> = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  };
}

function volumeObject(name: string, storage: string, spec: Record<string, unknown> = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'manual',
      hostPath: { path: `/data/${name}` },
      ...spec,
    },
  };
}

const storageClass = (name: string, fields: Record<string, unknown>): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  ...fields,
});

describe('PersistentVolume controller', () => {
  let api: TestApi;
  let stop: AbortController;
  let running: RunningController[];

  async function startController() {
    const informers = createInformers(api.client, { freeze: true });
    const controller = persistentVolumeController({ client: api.client, informers });
    informers.start(stop.signal);
    await informers.waitForSync(stop.signal);
    running.push(runController({ ...controller, onError: () => {} }));
    return controller;
  }

  beforeEach(async () => {
    api = await startTestApi();
    stop = new AbortController();
    running = [];
  });
  afterEach(async () => {
    await Promise.all(running.map((r) => r.stop()));
    stop.abort();
    await api.close();
  });

  const claimApi = () => api.client.resource(claimsRef);
  const volumeApi = () => api.client.resource(volumesRef);
  const claim = (name: string) => claimApi().get(name, 'default');
  const volume = (name: string) => volumeApi().get(name);
  // Events about the claim or volume `name`, as `kubectl describe` lists them.
  const eventsOf = async (name: string) =>
    (await api.client.resource(events).list({ namespace: 'default' })).items
      .filter((e) => {
        const about = e.involvedObject as { name?: string; kind?: string };
        return about.name === name && (about.kind === 'PersistentVolumeClaim' || about.kind === 'PersistentVolume');
      })
      .map((e) => ({
        type: e.type,
        reason: e.reason,
        message: e.message,
        from: (e.source as { component: string }).component,
      }));
  const isGone = async (name: string) =>
    volume(name).then(
      () => false,
      (err: unknown) => isStatusError(err) && err.code === 404,
    );
  async function boundPair(claimName: string) {
    return eventually(async () => {
      const c = await claim(claimName);
      expect(c.status?.phase).toBe('Bound');
      expect((await volume(c.spec?.volumeName as string)).status?.phase).toBe('Bound');
    }).then(async () => {
      const c = await claim(claimName);
      return { claim: c, volume: await volume(c.spec?.volumeName as string) };
    });
  }

  it('provisions a WaitForFirstConsumer claim once the scheduler selects a node, pinned to that node', async () => {
    await api.client
      .resource(nodes)
      .create({ ...nodeObject('w1'), metadata: { name: 'w1', labels: { 'kubernetes.io/hostname': 'w1.local' } } });
    await startController();
    const created = await claimApi().create(claimObject('data', { resources: { requests: { storage: '3Gi' } } }));
    expect(created.spec?.storageClassName).toBe('standard');
    await eventually(async () =>
      expect(await eventsOf('data')).toContainEqual({
        type: 'Normal',
        reason: 'WaitForFirstConsumer',
        message: 'waiting for first consumer to be created before binding',
        from: 'persistentvolume-controller',
      }),
    );
    expect((await volumeApi().list()).items).toEqual([]);

    await claimApi().patch('data', 'default', 'merge', {
      metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'w1' } },
    });
    const { claim: bound, volume: provisioned } = await boundPair('data');
    const uid = created.metadata.uid as string;
    expect(bound.spec?.volumeName).toBe(`pvc-${uid}`);
    expect(bound.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.kubernetes.io/storage-provisioner': 'sim.wharf.dev/hostpath',
      'volume.beta.kubernetes.io/storage-provisioner': 'sim.wharf.dev/hostpath',
    });
    expect(bound.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '3Gi' } });
    expect(provisioned.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'sim.wharf.dev/hostpath' });
    expect(provisioned.spec).toMatchObject({
      capacity: { storage: '3Gi' },
      accessModes: ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      storageClassName: 'standard',
      persistentVolumeReclaimPolicy: 'Delete',
      hostPath: { path: `/var/lib/wharf/pv/pvc-${uid}`, type: 'DirectoryOrCreate' },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: 'data', uid },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w1.local'] }] },
          ],
        },
      },
    });
    await eventually(async () => {
      const seen = await eventsOf('data');
      expect(seen).toContainEqual({
        type: 'Normal',
        reason: 'ExternalProvisioning',
        message:
          "Waiting for a volume to be created either by the external provisioner 'sim.wharf.dev/hostpath' or manually " +
          'by the system administrator. If volume creation is delayed, please verify that the provisioner is running ' +
          'and correctly registered.',
        from: 'persistentvolume-controller',
      });
      expect(seen).toContainEqual({
        type: 'Normal',
        reason: 'Provisioning',
        message: 'External provisioner is provisioning volume for claim "default/data"',
        from: 'sim.wharf.dev/hostpath',
      });
      expect(seen).toContainEqual({
        type: 'Normal',
        reason: 'ProvisioningSucceeded',
        message: `Successfully provisioned volume pvc-${uid}`,
        from: 'sim.wharf.dev/hostpath',
      });
    });
  });

  it('names the unscheduled consumer a waiting claim waits for', async () => {
    await startController();
    await claimApi().create(claimObject('logs'));
    await api.client
      .resource(pods)
      .create(podObject('writer', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'logs' } }] }));
    await eventually(async () =>
      expect(await eventsOf('logs')).toContainEqual(
        expect.objectContaining({ reason: 'WaitForPodScheduled', message: 'waiting for pod writer to be scheduled' }),
      ),
    );
  });

  it('provisions an Immediate claim at once, without node affinity, with the class reclaim policy', async () => {
    await api.client.resource(storageClasses).create(
      storageClass('fast', {
        provisioner: 'sim.wharf.dev/hostpath',
        volumeBindingMode: 'Immediate',
        reclaimPolicy: 'Retain',
      }),
    );
    await startController();
    await claimApi().create(claimObject('cache', { storageClassName: 'fast', accessModes: ['ReadWriteMany'] }));
    const { volume: provisioned } = await boundPair('cache');
    expect(provisioned.spec?.nodeAffinity).toBeUndefined();
    expect(provisioned.spec).toMatchObject({
      storageClassName: 'fast',
      persistentVolumeReclaimPolicy: 'Retain',
      accessModes: ['ReadWriteMany'],
    });
  });

  it('binds an Immediate claim to the smallest free volume that fits, and marks the others Available', async () => {
    await volumeApi().create(volumeObject('big', '10Gi'));
    await volumeApi().create(volumeObject('small', '2Gi'));
    await volumeApi().create(volumeObject('tiny', '500Mi'));
    await volumeApi().create(volumeObject('other-class', '1Gi', { storageClassName: 'other' }));
    await volumeApi().create(volumeObject('read-only', '1Gi', { accessModes: ['ReadOnlyMany'] }));
    await volumeApi().create(volumeObject('block', '1Gi', { volumeMode: 'Block' }));
    await volumeApi().create(
      volumeObject('elsewhere', '1Gi', {
        nodeAffinity: {
          required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'rack', operator: 'In', values: ['r9'] }] }] },
        },
      }),
    );
    await startController();
    // No StorageClass named manual exists: the claim binds at once, only to volumes of that class.
    await claimApi().create(claimObject('db', { storageClassName: 'manual' }));
    const { claim: bound, volume: chosen } = await boundPair('db');
    // Node affinity does not matter to a claim bound before any pod uses it.
    expect(chosen.metadata.name).toBe('elsewhere');
    expect(bound.status?.capacity).toEqual({ storage: '1Gi' });
    expect(chosen.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(chosen.spec?.claimRef).toMatchObject({ name: 'db', namespace: 'default', uid: bound.metadata.uid });

    await claimApi().create(claimObject('db2', { storageClassName: 'manual' }));
    expect((await boundPair('db2')).volume.metadata.name).toBe('small');
    await eventually(async () => {
      for (const name of ['big', 'tiny', 'other-class', 'read-only', 'block']) {
        expect((await volume(name)).status?.phase).toBe('Available');
      }
    });
  });

  it('binds a claim to the volume a user pre-bound to it by name', async () => {
    await volumeApi().create(volumeObject('reserved', '5Gi', { claimRef: { namespace: 'default', name: 'mine' } }));
    await volumeApi().create(volumeObject('decoy', '1Gi'));
    await startController();
    await claimApi().create(claimObject('mine', { storageClassName: 'manual' }));
    const { volume: chosen } = await boundPair('mine');
    expect(chosen.metadata.name).toBe('reserved');
    // The user chose the pairing, so the volume is not marked as bound by the controller.
    expect(chosen.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
  });

  it('leaves a claim with no class and no volume Pending with FailedBinding, and binds it when one appears', async () => {
    await startController();
    await claimApi().create(claimObject('orphan', { storageClassName: '' }));
    await eventually(async () =>
      expect(await eventsOf('orphan')).toContainEqual({
        type: 'Normal',
        reason: 'FailedBinding',
        message: 'no persistent volumes available for this claim and no storage class is set',
        from: 'persistentvolume-controller',
      }),
    );
    expect((await claim('orphan')).status?.phase).toBe('Pending');
    await volumeApi().create(volumeObject('late', '1Gi', { storageClassName: '' }));
    expect((await boundPair('orphan')).volume.metadata.name).toBe('late');
  });

  it('releases and deletes a provisioned volume with reclaim policy Delete when its claim is deleted', async () => {
    await api.client
      .resource(storageClasses)
      .create(storageClass('scratch', { provisioner: 'sim.wharf.dev/hostpath', volumeBindingMode: 'Immediate' }));
    await startController();
    await claimApi().create(claimObject('tmp', { storageClassName: 'scratch' }));
    const { volume: provisioned } = await boundPair('tmp');
    const name = provisioned.metadata.name as string;
    const phases: string[] = [];
    const watching = (async () => {
      const from = provisioned.metadata.resourceVersion as string;
      for await (const e of volumeApi().watch({ signal: stop.signal, resourceVersion: from })) {
        if (e.object.metadata.name !== name) continue;
        phases.push(e.type === 'DELETED' ? 'deleted' : (e.object.status?.phase ?? ''));
        if (e.type === 'DELETED') return;
      }
    })();
    await claimApi().delete('tmp', 'default');
    await eventually(async () => expect(await isGone(name)).toBe(true));
    await watching;
    expect(phases).toEqual(['Released', 'deleted']);
  });

  it('keeps a Retain volume Released, still naming its claim, when the claim is deleted', async () => {
    await volumeApi().create(volumeObject('keep', '1Gi', { persistentVolumeReclaimPolicy: 'Retain' }));
    await startController();
    await claimApi().create(claimObject('keeper', { storageClassName: 'manual' }));
    await boundPair('keeper');
    await claimApi().delete('keeper', 'default');
    await eventually(async () => expect((await volume('keep')).status?.phase).toBe('Released'));
    expect((await volume('keep')).spec?.claimRef?.name).toBe('keeper');
    // A new claim of the same name is another claim: the released volume is not its. Its class names
    // no StorageClass, so provisioning is what fails.
    await claimApi().create(claimObject('keeper', { storageClassName: 'manual' }));
    await eventually(async () =>
      expect(await eventsOf('keeper')).toContainEqual({
        type: 'Warning',
        reason: 'ProvisioningFailed',
        message: 'storageclass.storage.k8s.io "manual" not found',
        from: 'persistentvolume-controller',
      }),
    );
    expect((await volume('keep')).status?.phase).toBe('Released');
    expect((await claim('keeper')).status?.phase).toBe('Pending');
  });

  it('marks a bound claim Lost when its volume is deleted', async () => {
    await volumeApi().create(volumeObject('fragile', '1Gi'));
    await startController();
    await claimApi().create(claimObject('victim', { storageClassName: 'manual' }));
    await boundPair('victim');
    await volumeApi().delete('fragile');
    await eventually(async () => expect((await claim('victim')).status?.phase).toBe('Lost'));
    await eventually(async () =>
      expect(await eventsOf('victim')).toContainEqual({
        type: 'Warning',
        reason: 'ClaimLost',
        message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
        from: 'persistentvolume-controller',
      }),
    );
  });

  it('writes nothing when it starts again over claims and volumes it already bound', async () => {
    await volumeApi().create(volumeObject('steady', '1Gi'));
    await startController();
    await claimApi().create(claimObject('steady', { storageClassName: 'manual' }));
    const before = await boundPair('steady');
    await running.pop()?.stop();

    const again = await startController();
    await again.reconcile('claims/default/steady');
    await again.reconcile('volumes/steady');
    const after = await boundPair('steady');
    expect(after.claim.metadata.resourceVersion).toBe(before.claim.metadata.resourceVersion);
    expect(after.volume.metadata.resourceVersion).toBe(before.volume.metadata.resourceVersion);
  });
});
