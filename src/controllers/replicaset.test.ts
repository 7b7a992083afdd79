import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, pods, replicaSets, replicationControllers } from '../client/resources.ts';
import type { KubeObject } from '../types/meta.ts';
import { controllerOf } from './pod-control/owner.ts';
import {
  container,
  createNamespace,
  markReady,
  retryConflicts,
  startTestCluster,
  type TestCluster,
} from './pod-control/test-cluster.test-helpers.ts';
import type { Pod, ReplicaSet, ReplicationController } from './pod-control/types.ts';
import { replicaSetController } from './replicaset.ts';
import { replicationControllerController } from './replication-controller.ts';
import { eventually } from './runtime/eventually.ts';

let cluster: TestCluster;
const ns = 'rs-test';

beforeAll(async () => {
  cluster = await startTestCluster();
  await createNamespace(cluster.client, ns);
  const d = { client: cluster.client, informers: cluster.informers };
  await cluster.run(replicaSetController(d), replicationControllerController(d));
});
afterAll(async () => {
  await cluster.close();
});

const podApi = () => cluster.client.resource<Pod>(pods);
const rsApi = () => cluster.client.resource<ReplicaSet>(replicaSets);
const podsOf = async (owner: KubeObject) =>
  (await podApi().list({ namespace: ns })).items.filter((p) => controllerOf(p)?.uid === owner.metadata.uid);
const live = (list: Pod[]) => list.filter((p) => !p.metadata.deletionTimestamp);

function replicaSet(name: string, replicas: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  };
}

describe('replicaset controller', () => {
  it('creates pods to match replicas, with a controller reference and events, and reports status', async () => {
    const rs = await rsApi().create(replicaSet('web', 3));
    await eventually(async () => expect(await podsOf(rs)).toHaveLength(3));
    const created = await podsOf(rs);
    expect(created[0]?.metadata.generateName).toBe('web-');
    expect(created[0]?.metadata.labels).toEqual({ app: 'web' });
    expect(controllerOf(created[0] as Pod)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web',
      uid: rs.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    await eventually(async () =>
      expect((await rsApi().get('web', ns)).status).toEqual({
        replicas: 3,
        fullyLabeledReplicas: 3,
        observedGeneration: 1,
      }),
    );
    for (const p of created) await markReady(cluster.client, p);
    await eventually(async () =>
      expect((await rsApi().get('web', ns)).status).toMatchObject({ readyReplicas: 3, availableReplicas: 3 }),
    );
    await eventually(async () => {
      const messages = (await cluster.client.resource(events).list({ namespace: ns })).items
        .filter((e) => (e.involvedObject as { name?: string }).name === 'web')
        .map((e) => `${e.reason} ${e.message}`);
      expect(messages).toContain(`SuccessfulCreate Created pod: ${created[0]?.metadata.name}`);
    });
  });

  it('replaces a deleted pod', async () => {
    const rs = await rsApi().get('web', ns);
    const [victim] = await podsOf(rs);
    await podApi().delete(victim?.metadata.name ?? '', ns, { gracePeriodSeconds: 0 });
    await eventually(async () => {
      const now = live(await podsOf(rs));
      expect(now).toHaveLength(3);
      expect(now.map((p) => p.metadata.name)).not.toContain(victim?.metadata.name);
    });
  });

  it('scales down deleting not-ready pods before ready ones', async () => {
    const rs = await rsApi().get('web', ns);
    const notReady = live(await podsOf(rs)).filter((p) => p.status?.phase !== 'Running');
    expect(notReady).toHaveLength(1);
    await retryConflicts(() => rsApi().patch('web', ns, 'merge', { spec: { replicas: 2 } }));
    await eventually(async () => {
      const left = live(await podsOf(rs));
      expect(left).toHaveLength(2);
      expect(left.map((p) => p.metadata.name)).not.toContain(notReady[0]?.metadata.name);
    });
    await eventually(async () => expect((await rsApi().get('web', ns)).status?.replicas).toBe(2));
  });

  it('adopts a matching orphan instead of creating a pod, and releases a pod whose labels stop matching', async () => {
    await podApi().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: ns, labels: { app: 'adopter' } },
      spec: { containers: [container] },
    });
    const rs = await rsApi().create(replicaSet('adopter', 2));
    await eventually(async () => expect(await podsOf(rs)).toHaveLength(2));
    expect((await podsOf(rs)).map((p) => p.metadata.name)).toContain('stray');

    await retryConflicts(() => podApi().patch('stray', ns, 'merge', { metadata: { labels: { app: 'elsewhere' } } }));
    await eventually(async () => {
      const owned = await podsOf(rs);
      expect(owned).toHaveLength(2);
      expect(owned.map((p) => p.metadata.name)).not.toContain('stray');
    });
    expect((await podApi().get('stray', ns)).metadata.ownerReferences ?? []).toEqual([]);
  });
});

describe('replicationcontroller controller', () => {
  it('keeps replicas of a ReplicationController with the same code', async () => {
    const rc = await cluster.client.resource<ReplicationController>(replicationControllers).create({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: ns },
      spec: {
        replicas: 2,
        selector: { app: 'legacy' },
        template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [container] } },
      },
    });
    await eventually(async () => expect(await podsOf(rc)).toHaveLength(2));
    expect(controllerOf((await podsOf(rc))[0] as Pod)).toMatchObject({
      apiVersion: 'v1',
      kind: 'ReplicationController',
    });
    await eventually(async () =>
      expect(
        (await cluster.client.resource<ReplicationController>(replicationControllers).get('legacy', ns)).status,
      ).toMatchObject({ replicas: 2, fullyLabeledReplicas: 2 }),
    );
  });
});
