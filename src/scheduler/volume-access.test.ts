import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, nodes, persistentVolumeClaims, persistentVolumes, pods, storageClasses } from '../client/resources.ts';
import { eventually } from '../controllers/runtime/eventually.ts';
import type { KubeObject } from '../types/meta.ts';
import { profilesFromConfiguration } from './config.ts';
import type { PersistentVolume, PersistentVolumeClaim } from './plugins/volume-matching.ts';
import { type RunningScheduler, startScheduler } from './scheduler.ts';
import { nodeObject, podObject, startTestApi, type TestApi } from './testing/api.ts';
import type { Pod } from './types.ts';

const storageClass = (name: string, volumeBindingMode: string, provisioner: string): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner,
  volumeBindingMode,
});

const claimObject = (name: string, storageClassName: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
});

/** A local volume on one node, as a cluster admin pre-creates it for a no-provisioner class. */
const localVolume = (name: string, hostname: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    storageClassName: 'local',
    capacity: { storage: '10Gi' },
    accessModes: ['ReadWriteOnce'],
    local: { path: '/mnt/disks/1' },
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] },
        ],
      },
    },
  },
});

const withClaim = (claimName: string) => ({ volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] });

describe('VolumeBinding through the registry and the scheduler', () => {
  let api: TestApi;
  let scheduler: RunningScheduler | undefined;
  beforeEach(async () => {
    api = await startTestApi();
    for (const [name, zone] of [
      ['w1', 'zone-a'],
      ['w2', 'zone-b'],
      ['w3', 'zone-c'],
    ] as const) {
      await api.client.resource(nodes).create(nodeObject(name, zone));
    }
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await api.close();
  });

  const podOf = async (name: string) => (await api.client.resource(pods).get(name, 'default')) as unknown as Pod;

  it('puts a pod with a WaitForFirstConsumer claim where its volume is, and binds the two', async () => {
    await api.client
      .resource(storageClasses)
      .create(storageClass('local', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner'));
    await api.client.resource(persistentVolumes).create(localVolume('local-w2', 'w2'));
    await api.client.resource(persistentVolumeClaims).create(claimObject('data', 'local'));
    scheduler = await startScheduler({ client: api.client });
    await api.client.resource(pods).create(podObject('db', withClaim('data')));

    await eventually(async () => expect((await podOf('db')).spec.nodeName).toBe('w2'));
    const claim = (await api.client
      .resource(persistentVolumeClaims)
      .get('data', 'default')) as unknown as PersistentVolumeClaim;
    const volume = (await api.client.resource(persistentVolumes).get('local-w2')) as unknown as PersistentVolume;
    expect(volume.spec?.claimRef).toMatchObject({
      kind: 'PersistentVolumeClaim',
      apiVersion: 'v1',
      namespace: 'default',
      name: 'data',
      uid: claim.metadata.uid,
    });
    expect(volume.spec?.claimRef?.resourceVersion).toBeTruthy();
    expect(volume.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect(volume.status?.phase).toBe('Bound');
    expect(claim.spec?.volumeName).toBe('local-w2');
    expect(claim.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    expect(claim.status).toMatchObject({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Gi' },
    });
  });

  it("keeps a pod whose claim is unbound and Immediate Pending, with kube's FailedScheduling message", async () => {
    await api.client.resource(storageClasses).create(storageClass('fast', 'Immediate', 'example.com/csi'));
    await api.client.resource(persistentVolumeClaims).create(claimObject('data', 'fast'));
    // Profiles from a configuration file get the scheduler's storage view too.
    const config = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';
    scheduler = await startScheduler({ client: api.client, profiles: (d) => profilesFromConfiguration(config, d) });
    await api.client.resource(pods).create(podObject('db', withClaim('data')));

    const message =
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    await eventually(async () => {
      const condition = (await podOf('db')).status?.conditions?.find((c) => c.type === 'PodScheduled');
      expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    });
    const failed = (await api.client.resource(events).list({ namespace: 'default' })).items.filter(
      (e) => (e as { reason?: string }).reason === 'FailedScheduling',
    );
    expect(failed.map((e) => (e as { message?: string }).message)).toContain(message);
    expect((await podOf('db')).spec.nodeName).toBeUndefined();
  });

  it('schedules a waiting pod once its claim is bound', async () => {
    await api.client.resource(persistentVolumeClaims).create(claimObject('data', 'manual'));
    scheduler = await startScheduler({ client: api.client });
    await api.client.resource(pods).create(podObject('db', withClaim('data')));
    await eventually(async () => expect((await podOf('db')).status?.conditions?.[0]?.reason).toBe('Unschedulable'));
    // A user binds it by hand: a volume for w3, and the claim naming it.
    await api.client.resource(persistentVolumes).create({
      ...localVolume('manual-w3', 'w3'),
      spec: { ...(localVolume('manual-w3', 'w3').spec as object), storageClassName: 'manual' },
    });
    const claim = await api.client.resource(persistentVolumeClaims).get('data', 'default');
    await api.client
      .resource(persistentVolumeClaims)
      .update({ ...claim, spec: { ...(claim.spec as object), volumeName: 'manual-w3' } });
    await eventually(async () => expect((await podOf('db')).spec.nodeName).toBe('w3'));
  });
});
