import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, persistentVolumeClaims, pods, statefulSets } from '../../client/resources.ts';
import { controllerRevisionsRef } from '../history/controller-revision.ts';
import { startTestCluster, type TestCluster } from '../job/test-cluster.test-helpers.ts';
import { persistentVolumeController } from '../persistent-volume/persistent-volume-controller.ts';
import type { Pod } from '../pod-control/types.ts';
import { statefulSetController } from './statefulset-controller.ts';
import type { StatefulSet, StatefulSetSpec } from './types.ts';

let cluster: TestCluster;
beforeAll(async () => {
  // Claims from volumeClaimTemplates get the default class and a provisioned volume, as in a kind cluster.
  cluster = await startTestCluster({ controllers: [statefulSetController, persistentVolumeController] });
});
afterAll(async () => {
  await cluster.stop();
});

function statefulSet(name: string, spec: Partial<StatefulSetSpec>, image = 'nginx:1.27'): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
      ...spec,
    },
  };
}

const podsOf = async (app: string) =>
  (await cluster.client.resource<Pod>(pods).list({ namespace: 'default', labelSelector: `app=${app}` })).items;
const eventsOf = async (name: string) =>
  (await cluster.client.resource(events).list({ namespace: 'default' })).items
    .filter((e) => (e.involvedObject as { name?: string }).name === name)
    .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)))
    .map((e) => e.message as string);
const imageOf = (p: Pod) => ((p.spec?.containers ?? []) as Array<{ image: string }>)[0]?.image;

describe('statefulset controller on a cluster', () => {
  it('creates pods in order with stable identities and claims, and reports status', async () => {
    const api = cluster.client.resource<StatefulSet>(statefulSets);
    await api.create(
      statefulSet('web', {
        volumeClaimTemplates: [
          {
            metadata: { name: 'www' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      }),
    );
    const set = await cluster.eventually(async () => {
      const s = await api.get('web', 'default');
      expect(s.status).toMatchObject({
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        currentReplicas: 3,
        updatedReplicas: 3,
      });
      return s;
    });
    expect(set.status?.currentRevision).toBe(set.status?.updateRevision);
    expect(set.status?.currentRevision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(set.status?.observedGeneration).toBe(1);
    expect(set.status?.collisionCount).toBe(0);

    const list = (await podsOf('web')).sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
    expect(list.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1', 'web-2']);
    const [first] = list;
    expect(first?.metadata.labels).toMatchObject({
      'statefulset.kubernetes.io/pod-name': 'web-0',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': set.status?.currentRevision,
    });
    expect(first?.spec).toMatchObject({ hostname: 'web-0', subdomain: 'web' });
    expect(first?.spec?.volumes).toContainEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    const claims = (await cluster.client.resource(persistentVolumeClaims).list({ namespace: 'default' })).items;
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    // OrderedReady: each pod is created only after the one before it is Running and Ready.
    const created = list.map((p) => Date.parse(p.metadata.creationTimestamp ?? ''));
    expect(created[0]).toBeLessThan(created[1] ?? 0);
    expect(created[1]).toBeLessThan(created[2] ?? 0);
    const messages = await eventsOf('web');
    expect(messages).toContain('create Pod web-0 in StatefulSet web successful');
    expect(messages).toContain('create Claim www-web-0 Pod web-0 in StatefulSet web success');
  });

  it('rolls out a new template from the highest ordinal down to the partition', async () => {
    const api = cluster.client.resource<StatefulSet>(statefulSets);
    await api.create(
      statefulSet('part', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }),
    );
    await cluster.eventually(async () => {
      expect((await api.get('part', 'default')).status?.readyReplicas).toBe(3);
    });
    await api.patch('part', 'default', 'merge', {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } },
    });
    const set = await cluster.eventually(async () => {
      const s = await api.get('part', 'default');
      expect(s.status).toMatchObject({
        updatedReplicas: 2,
        readyReplicas: 3,
        currentReplicas: 1,
        observedGeneration: 2,
      });
      return s;
    });
    expect(set.status?.currentRevision).not.toBe(set.status?.updateRevision);
    const byName = new Map((await podsOf('part')).map((p) => [p.metadata.name, p]));
    expect(imageOf(byName.get('part-0') as Pod)).toBe('nginx:1.27');
    expect(imageOf(byName.get('part-1') as Pod)).toBe('nginx:1.28');
    expect(imageOf(byName.get('part-2') as Pod)).toBe('nginx:1.28');
    const revisions = (
      await cluster.client.resource(controllerRevisionsRef).list({ namespace: 'default' })
    ).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === 'part');
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(revisions.every((r) => r.data?.spec?.template?.$patch === 'replace')).toBe(true);
    const messages = await eventsOf('part');
    expect(messages.indexOf('delete Pod part-2 in StatefulSet part successful')).toBeLessThan(
      messages.indexOf('delete Pod part-1 in StatefulSet part successful'),
    );
    expect(messages).not.toContain('delete Pod part-0 in StatefulSet part successful');

    // Partition 0 finishes the rollout and the update revision becomes current.
    await api.patch('part', 'default', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await cluster.eventually(async () => {
      const s = await api.get('part', 'default');
      expect(s.status).toMatchObject({ updatedReplicas: 3, currentReplicas: 3, readyReplicas: 3 });
      expect(s.status?.currentRevision).toBe(s.status?.updateRevision);
    });
  });

  it('leaves pods alone with OnDelete and scales down from the highest ordinal, deleting claims when asked', async () => {
    const api = cluster.client.resource<StatefulSet>(statefulSets);
    await api.create(
      statefulSet('od', {
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'OnDelete' },
        persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Retain' },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
      }),
    );
    await cluster.eventually(async () => {
      expect((await api.get('od', 'default')).status?.readyReplicas).toBe(3);
    });
    await api.patch('od', 'default', 'merge', {
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } },
    });
    await cluster.eventually(async () => {
      const s = await api.get('od', 'default');
      expect(s.status).toMatchObject({ replicas: 1, readyReplicas: 1, updatedReplicas: 0, currentReplicas: 1 });
    });
    const left = await podsOf('od');
    expect(left.map((p) => p.metadata.name)).toEqual(['od-0']);
    expect(imageOf(left[0] as Pod)).toBe('nginx:1.27');
    const claims = (await cluster.client.resource(persistentVolumeClaims).list({ namespace: 'default' })).items.filter(
      (c) => c.metadata.name?.startsWith('data-od-'),
    );
    const owners = new Map(claims.map((c) => [c.metadata.name, c.metadata.ownerReferences?.[0]?.kind]));
    expect(owners.get('data-od-0')).toBeUndefined();
    for (const gone of ['data-od-1', 'data-od-2']) expect([undefined, 'Pod']).toContain(owners.get(gone));
  });
});
