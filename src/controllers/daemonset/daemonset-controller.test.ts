import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonSets, nodes, pods } from '../../client/resources.ts';
import { isStatusError } from '../../status.ts';
import { startTestCluster, type TestCluster } from '../job/test-cluster.test-helpers.ts';
import type { Pod } from '../pod-control/types.ts';
import { daemonSetController } from './daemonset-controller.ts';
import type { DaemonSet } from './types.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ controllers: [daemonSetController], nodes: 3 });
});
afterAll(async () => {
  await cluster.stop();
});

function daemonSet(
  name: string,
  spec: Partial<NonNullable<DaemonSet['spec']>> = {},
  podSpec: Record<string, unknown> = {},
): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'agent', image: 'nginx:1.27' }], ...podSpec },
      },
      ...spec,
    },
  };
}

const livePods = async (app: string) =>
  (await cluster.client.resource<Pod>(pods).list({ namespace: 'default', labelSelector: `app=${app}` })).items.filter(
    (p) => !p.metadata.deletionTimestamp,
  );
/** The registry does not retry a patch that races the controller's status write; a client would. */
async function patchSpec(name: string, body: unknown) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await cluster.client.resource<DaemonSet>(daemonSets).patch(name, 'default', 'merge', body);
    } catch (err) {
      if (!(isStatusError(err) && err.code === 409) || attempt > 20) throw err;
    }
  }
}
const imageOf = (p: Pod) => ((p.spec?.containers ?? []) as Array<{ image: string }>)[0]?.image;

describe('daemonset controller on a cluster', () => {
  it('runs one pod per node, pinned by matchFields affinity and carrying the DaemonSet tolerations', async () => {
    const api = cluster.client.resource<DaemonSet>(daemonSets);
    await api.create(daemonSet('agent'));
    const ds = await cluster.eventually(async () => {
      const d = await api.get('agent', 'default');
      expect(d.status).toMatchObject({
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 3,
        numberAvailable: 3,
        updatedNumberScheduled: 3,
        numberMisscheduled: 0,
        observedGeneration: 1,
      });
      return d;
    });
    expect(ds.status?.numberUnavailable).toBeUndefined();
    const list = await livePods('agent');
    expect(list.map((p) => p.spec?.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    const pod = list.find((p) => p.spec?.nodeName === 'node-2') as Pod;
    expect(pod.spec?.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }],
        },
      },
    });
    expect(
      ((pod.spec?.tolerations ?? []) as Array<{ key: string; effect: string }>).map((t) => `${t.key}:${t.effect}`),
    ).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(pod.metadata.labels?.['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod.metadata.labels?.['pod-template-generation']).toBe('1');
  });

  it('follows nodeSelector and taints: leaves a tainted node, returns when tolerated', async () => {
    const api = cluster.client.resource<DaemonSet>(daemonSets);
    await cluster.client.resource(nodes).patch('node-3', undefined, 'merge', {
      spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
    });
    await api.create(daemonSet('picky', {}, { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' } }));
    await api.create(daemonSet('broad'));
    await cluster.eventually(async () => {
      expect((await livePods('picky')).map((p) => p.spec?.nodeName)).toEqual(['node-1']);
      expect((await livePods('broad')).map((p) => p.spec?.nodeName).sort()).toEqual(['node-1', 'node-2']);
      expect((await api.get('broad', 'default')).status?.desiredNumberScheduled).toBe(2);
    });
    await patchSpec('broad', {
      spec: { template: { spec: { tolerations: [{ key: 'dedicated', operator: 'Exists' }] } } },
    });
    await cluster.eventually(async () => {
      const list = await livePods('broad');
      expect(list.map((p) => p.spec?.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
      expect((await api.get('broad', 'default')).status).toMatchObject({
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberReady: 3,
      });
    });
  });

  it('rolls a new template out with maxSurge, never leaving a node without an available pod', async () => {
    const api = cluster.client.resource<DaemonSet>(daemonSets);
    await api.create(
      daemonSet(
        'surge',
        { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
        {
          tolerations: [{ operator: 'Exists' }],
        },
      ),
    );
    await cluster.eventually(async () => {
      expect((await api.get('surge', 'default')).status?.numberAvailable).toBe(3);
    });
    await patchSpec('surge', {
      spec: { template: { spec: { containers: [{ name: 'agent', image: 'nginx:1.28' }] } } },
    });
    let minAvailable = 3;
    await cluster.eventually(
      async () => {
        const d = await api.get('surge', 'default');
        minAvailable = Math.min(minAvailable, d.status?.numberAvailable ?? 0);
        expect(d.status).toMatchObject({ updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 2 });
        const list = await livePods('surge');
        expect(list).toHaveLength(3);
        expect(list.every((p) => imageOf(p) === 'nginx:1.28')).toBe(true);
      },
      { stepMs: 200 },
    );
    expect(minAvailable).toBe(3);
  });
});
