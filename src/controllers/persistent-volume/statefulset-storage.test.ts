/**
 * End to end, as on a kind cluster: registry (seeded default class, DefaultStorageClass admission),
 * StatefulSet and PersistentVolume controllers, scheduler and simulated nodes on one fake clock.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nodes, persistentVolumeClaims, persistentVolumes, pods, statefulSets } from '../../client/resources.ts';
import type { ResourceRef } from '../../client/types.ts';
import { startTestCluster, type TestCluster } from '../job/test-cluster.test-helpers.ts';
import type { Pod } from '../pod-control/types.ts';
import { statefulSetController } from '../statefulset/statefulset-controller.ts';
import type { StatefulSet } from '../statefulset/types.ts';
import { persistentVolumeController } from './persistent-volume-controller.ts';
import type { PersistentVolume, PersistentVolumeClaim } from './types.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ controllers: [statefulSetController, persistentVolumeController] });
});
afterAll(async () => {
  await cluster.stop();
});

it('gives a StatefulSet claim without a class the default class and a volume on its pod’s node', async () => {
  const set: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas: 1,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:17' }] } },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
        },
      ],
    },
  };
  await cluster.client.resource<StatefulSet>(statefulSets).create(set);
  const claimApi = cluster.client.resource(persistentVolumeClaims as ResourceRef<PersistentVolumeClaim>);

  const { claim, pod } = await cluster.eventually(async () => {
    const claim = await claimApi.get('data-db-0', 'default');
    expect(claim.status?.phase).toBe('Bound');
    const pod = await cluster.client.resource<Pod>(pods).get('db-0', 'default');
    expect(pod.spec?.nodeName).toBeTruthy();
    return { claim, pod };
  });
  expect(claim.spec?.storageClassName).toBe('standard');
  expect(claim.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(pod.spec?.nodeName);

  const volume = await cluster.client
    .resource(persistentVolumes as ResourceRef<PersistentVolume>)
    .get(claim.spec?.volumeName as string);
  expect(volume.metadata.name).toBe(`pvc-${claim.metadata.uid}`);
  expect(volume.status?.phase).toBe('Bound');
  const node = await cluster.client.resource(nodes).get(pod.spec?.nodeName as string);
  const hostname = node.metadata.labels?.['kubernetes.io/hostname'];
  expect(hostname).toBeTruthy();
  expect(volume.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([
    { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] },
  ]);
});
