import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../../client/local-client.ts';
import { events, nodes, pods } from '../../client/resources.ts';
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import type { Node, Pod } from '../../nodes/api-types.ts';
import { createRegistry } from '../../registry/index.ts';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import type { Store } from '../../storage/types.ts';
import { toTime } from '../runtime/clock.ts';
import { eventually } from '../runtime/eventually.ts';
import { createFakeClock } from '../runtime/fake-clock.ts';
import { createInformers } from '../runtime/informer-factory.ts';
import { conditionTaints, unknownConditions, withConditionTaints } from './node-health.ts';
import { nodeLifecycleController } from './node-lifecycle-controller.ts';
import { taintEvictionController } from './taint-eviction.ts';
import { evictionTime } from './tolerations.ts';

const t0 = Date.parse('2026-01-01T00:00:00Z');

describe('node health rules', () => {
  it('turns kubelet conditions Unknown and adds the ones never posted', () => {
    const now = toTime(t0);
    const conditions = unknownConditions([{ type: 'Ready', status: 'True', reason: 'KubeletReady' }], now);
    expect(conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(conditions.map((c) => c.type)).toEqual(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    expect(conditions[1]).toMatchObject({ reason: 'NodeStatusNeverUpdated' });
  });
  it('swaps not-ready for unreachable taints and keeps timeAdded of taints that stay', () => {
    const notReady = conditionTaints('False', 'T1');
    expect(notReady.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
    ]);
    const swapped = withConditionTaints(
      [{ key: 'other', effect: 'NoSchedule' }, ...notReady],
      conditionTaints('Unknown', 'T2'),
    );
    expect(swapped?.map((t) => t.key)).toEqual([
      'other',
      'node.kubernetes.io/unreachable',
      'node.kubernetes.io/unreachable',
    ]);
    expect(withConditionTaints(notReady, conditionTaints('False', 'T3'))).toBeUndefined();
    expect(withConditionTaints(notReady, conditionTaints('True', 'T3'))).toEqual([]);
  });
});

describe('toleration rules', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: toTime(t0) };
  it('evicts at once without a toleration, never with an unbounded one, after the shortest bound otherwise', () => {
    expect(evictionTime([taint], [], t0 + 5)).toBe(t0 + 5);
    expect(evictionTime([taint], [{ operator: 'Exists' }], t0)).toBeUndefined();
    expect(
      evictionTime(
        [taint],
        [
          { key: taint.key, operator: 'Exists', tolerationSeconds: 30 },
          { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
        ],
        t0,
      ),
    ).toBe(t0 + 30_000);
    expect(evictionTime([{ ...taint, effect: 'NoSchedule' }], [], t0)).toBeUndefined();
  });
});

describe('node lifecycle and taint eviction on a registry', () => {
  let dataDir: string;
  let store: Store;
  let client: KubeClient;
  const stop = new AbortController();
  const clock = createFakeClock(t0);
  let lifecycle: ReturnType<typeof nodeLifecycleController>;
  let eviction: ReturnType<typeof taintEvictionController>;
  const nodeApi = () => client.resource(nodes as ResourceRef<Node>);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wharf-node-lifecycle-'));
    store = await createEmbeddedStore({ dataDir });
    client = createLocalClient(await createRegistry({ store }), {
      username: 'system:admin',
      groups: ['system:masters'],
    });
    const informers = createInformers(client, { freeze: true });
    lifecycle = nodeLifecycleController({ client, informers, clock }, { gracePeriodMs: 40_000 });
    eviction = taintEvictionController({ client, informers, clock });
    informers.start(stop.signal);
    await informers.waitForSync();
  });
  afterAll(async () => {
    stop.abort();
    lifecycle.queue.shutDown();
    eviction.queue.shutDown();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('marks a silent node Unknown with unreachable taints, then evicts pods that do not tolerate it', async () => {
    const created = await nodeApi().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await nodeApi().updateStatus({
      ...created,
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: toTime(t0) }],
      },
    });
    const podApi = client.resource(pods as ResourceRef<Pod & { spec: { tolerations?: unknown[] } }>);
    const container = [{ name: 'c', image: 'nginx' }];
    const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' };
    await podApi.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'plain', namespace: 'default' },
      spec: { nodeName: 'n1', containers: container, tolerations: [{ ...unreachable, tolerationSeconds: 0 }] },
    });
    const tolerations = [{ ...unreachable, tolerationSeconds: 60 }];
    await podApi.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'patient', namespace: 'default' },
      spec: { nodeName: 'n1', containers: container, tolerations },
    });
    await eventually(async () => expect((await podApi.list({ namespace: 'default' })).items).toHaveLength(2));

    await eventually(async () => {
      await lifecycle.reconcile('n1');
    });
    expect((await nodeApi().get('n1')).spec?.taints).toBeUndefined();
    await clock.advance(41_000);
    await lifecycle.reconcile('n1');
    const node = await nodeApi().get('n1');
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
    });
    expect(node.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);

    await eventually(async () => {
      await eviction.reconcile('default/plain');
      const plain = await podApi.get('plain', 'default');
      expect(plain.metadata.deletionTimestamp).toBeDefined();
      expect(plain.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
        reason: 'DeletionByTaintManager',
      });
    });
    await eviction.reconcile('default/patient');
    expect((await podApi.get('patient', 'default')).metadata.deletionTimestamp).toBeUndefined();
    await clock.advance(61_000);
    await eviction.reconcile('default/patient');
    expect((await podApi.get('patient', 'default')).metadata.deletionTimestamp).toBeDefined();
    await eventually(async () => {
      const list = await client.resource(events).list({ namespace: 'default' });
      expect(list.items.map((e) => (e as { message?: string }).message)).toContain(
        'Marking for deletion Pod default/plain',
      );
    });
  });
});
