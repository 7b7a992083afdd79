import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, events, pods, replicaSets } from '../../client/resources.ts';
import { controllerOf } from '../pod-control/owner.ts';
import { isPodReady } from '../pod-control/pod-state.ts';
import {
  container,
  createNamespace,
  neverReadyAnnotation,
  retryConflicts,
  startFakeKubelet,
  startTestCluster,
  type TestCluster,
} from '../pod-control/test-cluster.test-helpers.ts';
import type { Pod, ReplicaSet } from '../pod-control/types.ts';
import { replicaSetController } from '../replicaset.ts';
import { eventually } from '../runtime/eventually.ts';
import { deploymentController } from './deployment-controller.ts';
import type { Deployment, DeploymentSpec } from './types.ts';

let cluster: TestCluster;
const ns = 'deploy-test';

beforeAll(async () => {
  cluster = await startTestCluster();
  await createNamespace(cluster.client, ns);
  const d = { client: cluster.client, informers: cluster.informers };
  startFakeKubelet(cluster.client, cluster.informers);
  await cluster.run(deploymentController(d), replicaSetController(d));
});
afterAll(async () => {
  await cluster.close();
});

const deployApi = () => cluster.client.resource<Deployment>(deployments);
const rsApi = () => cluster.client.resource<ReplicaSet>(replicaSets);
const getDeployment = (name: string) => deployApi().get(name, ns);
const patch = (name: string, body: unknown) => retryConflicts(() => deployApi().patch(name, ns, 'merge', body));

async function replicaSetsOf(name: string): Promise<ReplicaSet[]> {
  const d = await getDeployment(name);
  return (await rsApi().list({ namespace: ns })).items.filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
}

function deployment(name: string, replicas: number, spec: Partial<DeploymentSpec> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
      ...spec,
    },
  };
}

async function rolledOut(name: string): Promise<Deployment> {
  let d: Deployment | undefined;
  await eventually(async () => {
    d = await getDeployment(name);
    const s = d.status ?? {};
    expect(s.observedGeneration).toBe(d.metadata.generation);
    expect(s.updatedReplicas ?? 0).toBe(d.spec?.replicas);
    expect(s.replicas ?? 0).toBe(d.spec?.replicas);
    expect(s.availableReplicas ?? 0).toBe(d.spec?.replicas);
    expect(s.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });
  return d as Deployment;
}

const image = (d: Deployment) =>
  (d.spec?.template?.spec?.containers as Array<{ image: string }> | undefined)?.[0]?.image;
const withImage = (tag: string) => ({
  spec: { template: { spec: { containers: [{ ...container, image: `nginx:${tag}` }] } } },
});

describe('deployment controller', () => {
  it('creates a hash-named ReplicaSet at revision 1 and reports a complete rollout', async () => {
    await deployApi().create(deployment('web', 3));
    const d = await rolledOut('web');
    const [rs] = await replicaSetsOf('web');
    const hash = rs?.metadata.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs?.metadata.name).toBe(`web-${hash}`);
    expect(rs?.spec?.selector?.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
    ]);
    await eventually(async () => {
      const messages = (await cluster.client.resource(events).list({ namespace: ns })).items
        .filter((e) => (e.involvedObject as { name?: string }).name === 'web')
        .map((e) => `${e.reason}: ${e.message}`);
      expect(messages).toContain(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`);
    });
  });

  it('replaces a deleted pod', async () => {
    const [rs] = await replicaSetsOf('web');
    const owned = (await cluster.client.resource<Pod>(pods).list({ namespace: ns })).items.filter(
      (p) => controllerOf(p)?.uid === rs?.metadata.uid,
    );
    await cluster.client.resource(pods).delete(owned[0]?.metadata.name ?? '', ns);
    await eventually(async () => {
      const now = (await cluster.client.resource<Pod>(pods).list({ namespace: ns })).items.filter(
        (p) => controllerOf(p)?.uid === rs?.metadata.uid && isPodReady(p),
      );
      expect(now).toHaveLength(3);
      expect(now.map((p) => p.metadata.name)).not.toContain(owned[0]?.metadata.name);
    });
  });

  it('rolls a new image out without going below replicas - maxUnavailable', async () => {
    await deployApi().create(
      deployment('rolling', 4, {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      }),
    );
    await rolledOut('rolling');
    // Watch every pod change and count pods that are ready and not being deleted.
    const ready = new Map<string, boolean>();
    let lowest = Number.POSITIVE_INFINITY;
    let replayed = false;
    const track = (p: Readonly<Pod>) => {
      if (p.metadata.labels?.app !== 'rolling') return;
      ready.set(p.metadata.name ?? '', isPodReady(p) && !p.metadata.deletionTimestamp);
      // The informer replays existing pods to a new handler one by one; count only after that.
      if (replayed) lowest = Math.min(lowest, [...ready.values()].filter(Boolean).length);
    };
    const stop = cluster.informers.informerFor<Pod>(pods).addHandlers({
      onAdd: track,
      onUpdate: (_o, p) => track(p),
      onDelete: (p) => {
        ready.delete(p.metadata.name ?? '');
      },
    });
    replayed = true;
    expect([...ready.values()].filter(Boolean)).toHaveLength(4);
    await patch('rolling', withImage('1.28'));
    const d = await rolledOut('rolling');
    stop();
    expect(image(d)).toBe('nginx:1.28');
    expect(lowest).toBeGreaterThanOrEqual(3);
    const sets = await replicaSetsOf('rolling');
    expect(sets).toHaveLength(2);
    const byRevision = Object.fromEntries(
      sets.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas]),
    );
    expect(byRevision).toEqual({ '1': 0, '2': 4 });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('rolls back to an old template by reusing its ReplicaSet at a new revision', async () => {
    const before = await replicaSetsOf('rolling');
    const first = before.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
    // What `kubectl rollout undo` does: put revision 1's template (without the hash label) back.
    const template = structuredClone(first?.spec?.template ?? {});
    delete template.metadata?.labels?.['pod-template-hash'];
    await retryConflicts(() =>
      deployApi().patch('rolling', ns, 'json', [{ op: 'replace', path: '/spec/template', value: template }]),
    );
    const d = await rolledOut('rolling');
    expect(image(d)).toBe('nginx:1.27');
    const after = await replicaSetsOf('rolling');
    expect(after).toHaveLength(2);
    const reused = after.find((rs) => rs.metadata.uid === first?.metadata.uid);
    expect(reused?.spec?.replicas).toBe(4);
    expect(reused?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('Recreate scales the old ReplicaSet to zero before the new one gets pods', async () => {
    await deployApi().create(deployment('recreate', 2, { strategy: { type: 'Recreate' } }));
    await rolledOut('recreate');
    let overlap = false;
    const stop = cluster.informers.informerFor<ReplicaSet>(replicaSets).addHandlers({
      onUpdate: () => {
        const mine = cluster.informers
          .informerFor<ReplicaSet>(replicaSets)
          .list()
          .filter((rs) => rs.metadata.labels?.app === 'recreate' && (rs.status?.replicas ?? 0) > 0);
        if (mine.length > 1) overlap = true;
      },
    });
    await patch('recreate', withImage('1.28'));
    await rolledOut('recreate');
    stop();
    expect(overlap).toBe(false);
  });

  it('pauses and resumes with the Progressing condition Kubernetes shows', async () => {
    await deployApi().create(deployment('paused', 1));
    await rolledOut('paused');
    await patch('paused', { spec: { paused: true } });
    await eventually(async () => {
      const c = (await getDeployment('paused')).status?.conditions?.find((x) => x.type === 'Progressing');
      expect([c?.status, c?.reason, c?.message]).toEqual(['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    });
    await patch('paused', withImage('1.28'));
    await eventually(async () =>
      expect((await getDeployment('paused')).status?.observedGeneration).toBe(
        (await getDeployment('paused')).metadata.generation,
      ),
    );
    expect(await replicaSetsOf('paused')).toHaveLength(1);
    await patch('paused', { spec: { paused: false } });
    await rolledOut('paused');
    expect(await replicaSetsOf('paused')).toHaveLength(2);
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    await deployApi().create(deployment('history', 1, { revisionHistoryLimit: 1 }));
    for (const tag of ['1.28', '1.29', '1.30']) {
      await rolledOut('history');
      await patch('history', withImage(tag));
    }
    await rolledOut('history');
    await eventually(async () => {
      const revisions = (await replicaSetsOf('history')).map(
        (rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
      );
      expect(revisions.sort()).toEqual(['3', '4']);
    });
  });

  it('scales proportionally when replicas change during a stuck rollout', async () => {
    await deployApi().create(
      deployment('stuck', 10, {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },
      }),
    );
    await rolledOut('stuck');
    await patch('stuck', {
      spec: { template: { metadata: { annotations: { [neverReadyAnnotation]: 'yes' } } } },
    });
    // New pods never become ready: the rollout stops at 8 old + 5 new.
    await eventually(async () => {
      const sizes = (await replicaSetsOf('stuck')).map((rs) => rs.spec?.replicas).sort((a, b) => (a ?? 0) - (b ?? 0));
      expect(sizes).toEqual([5, 8]);
    });
    await patch('stuck', { spec: { replicas: 20 } });
    await eventually(async () => {
      const sets = await replicaSetsOf('stuck');
      const total = sets.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
      expect(total).toBe(23);
      const sizes = sets.map((rs) => rs.spec?.replicas).sort((a, b) => (a ?? 0) - (b ?? 0));
      expect(sizes).toEqual([9, 14]);
    });
  });

  it('adopts an orphan ReplicaSet matching its selector and scales it down as an old one', async () => {
    const labels = { app: 'adopt', 'pod-template-hash': 'orphan1' };
    const orphan = await rsApi().create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'adopt-orphan1', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ ...container, image: 'nginx:0.1' }] } },
      },
    } as ReplicaSet);
    await deployApi().create(deployment('adopt', 2));
    await rolledOut('adopt');
    const owned = await replicaSetsOf('adopt');
    expect(owned.map((rs) => rs.metadata.uid)).toContain(orphan.metadata.uid);
    await eventually(async () => {
      const adopted = await rsApi().get('adopt-orphan1', ns);
      expect(controllerOf(adopted)).toMatchObject({ kind: 'Deployment', name: 'adopt', controller: true });
      expect(adopted.spec?.replicas).toBe(0);
    });
  });
});
