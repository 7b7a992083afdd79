import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { events, nodes, pods, priorityClasses } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import type { KubeObject } from '../types/meta.ts';
import { profilesFromConfiguration } from './config.ts';
import { type RunningScheduler, startScheduler } from './scheduler.ts';

const admin = { username: 'admin', groups: ['system:masters'] };

function nodeObject(name: string, zone: string, cpu = '4', extra: Record<string, unknown> = {}): KubeObject {
  const allocatable = { cpu, memory: '16Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } },
    spec: {},
    status: { allocatable, capacity: allocatable },
    ...extra,
  };
}

function podObject(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scheduler against the registry', () => {
  let dir: string;
  let store: Store;
  let client: KubeClient;
  let scheduler: RunningScheduler | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wharf-sched-'));
    store = await createEmbeddedStore({ dataDir: dir });
    client = createLocalClient(await createRegistry({ store }), admin);
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const nodeOf = async (name: string) =>
    ((await client.resource(pods).get(name, 'default')) as unknown as { spec: { nodeName?: string } }).spec.nodeName;

  it('binds pending pods and records Scheduled events', async () => {
    for (const [n, z] of [
      ['w1', 'zone-a'],
      ['w2', 'zone-b'],
      ['w3', 'zone-c'],
    ] as const) {
      await client.resource(nodes).create(nodeObject(n, z));
    }
    scheduler = await startScheduler({ client });
    await client.resource(pods).create(podObject('web'));
    const node = await eventually(() => nodeOf('web'));
    expect(['w1', 'w2', 'w3']).toContain(node);
    const list = await eventually(async () => {
      const l = await client.resource(events).list({ namespace: 'default' });
      return l.items.find((e) => (e as { reason?: string }).reason === 'Scheduled');
    });
    expect((list as { message?: string }).message).toBe(`Successfully assigned default/web to ${node}`);
  });

  it('spreads replicas across zones with required anti-affinity and leaves a fourth Pending', async () => {
    for (const [n, z] of [
      ['w1', 'zone-a'],
      ['w2', 'zone-b'],
      ['w3', 'zone-c'],
    ] as const) {
      await client.resource(nodes).create(nodeObject(n, z));
    }
    scheduler = await startScheduler({ client });
    const affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'topology.kubernetes.io/zone' },
        ],
      },
    };
    for (let i = 0; i < 4; i++) await client.resource(pods).create(podObject(`web-${i}`, { affinity }, { app: 'web' }));
    const placed = await eventually(async () => {
      const all = await Promise.all([0, 1, 2, 3].map((i) => nodeOf(`web-${i}`)));
      return all.filter(Boolean).length === 3 ? all : undefined;
    });
    expect(new Set(placed.filter(Boolean)).size).toBe(3);
    const pending = await eventually(async () => {
      const l = await client.resource(pods).list({ namespace: 'default' });
      return l.items.find((p) => {
        const c = (p as { status?: { conditions?: { type: string; reason?: string }[] } }).status?.conditions;
        return c?.some((x) => x.type === 'PodScheduled' && x.reason === 'Unschedulable');
      });
    });
    const condition = (
      pending as unknown as { status: { conditions: { type: string; message: string }[] } }
    ).status.conditions.find((c) => c.type === 'PodScheduled');
    expect(condition?.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
  });

  it('leaves pods of other schedulers alone and skips cordoned nodes', async () => {
    await client.resource(nodes).create(nodeObject('cordoned', 'zone-a', '4', { spec: { unschedulable: true } }));
    await client.resource(nodes).create(nodeObject('open', 'zone-b'));
    scheduler = await startScheduler({ client });
    await client.resource(pods).create(podObject('mine'));
    await client.resource(pods).create(podObject('theirs', { schedulerName: 'other-scheduler' }));
    expect(await eventually(() => nodeOf('mine'))).toBe('open');
    await new Promise((r) => setTimeout(r, 300));
    expect(await nodeOf('theirs')).toBeUndefined();
  });

  it("reports each profile's events as its schedulerName", async () => {
    await client.resource(nodes).create(nodeObject('w1', 'zone-a'));
    scheduler = await startScheduler({
      client,
      profiles: (d) =>
        profilesFromConfiguration('profiles: [{ schedulerName: default-scheduler }, { schedulerName: binpack }]', d),
    });
    await client.resource(pods).create(podObject('plain'));
    await client.resource(pods).create(podObject('packed', { schedulerName: 'binpack' }));
    const sources = await eventually(async () => {
      const l = await client.resource(events).list({ namespace: 'default' });
      const scheduled = l.items as unknown as {
        reason?: string;
        involvedObject: { name: string };
        source?: { component?: string };
      }[];
      const byPod = new Map(
        scheduled.filter((e) => e.reason === 'Scheduled').map((e) => [e.involvedObject.name, e.source?.component]),
      );
      return byPod.size === 2 ? Object.fromEntries(byPod) : undefined;
    });
    expect(sources).toEqual({ plain: 'default-scheduler', packed: 'binpack' });
  });

  it('preempts a lower-priority pod for a higher-priority one', async () => {
    await client.resource(nodes).create(nodeObject('only', 'zone-a', '1'));
    scheduler = await startScheduler({ client });
    const big = { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '800m' } } }] };
    for (const [name, value] of [
      ['low', 0],
      ['high', 1000],
    ] as const) {
      await client.resource(priorityClasses).create({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        value,
      });
    }
    await client.resource(pods).create(podObject('low', { ...big, priorityClassName: 'low' }));
    await eventually(() => nodeOf('low'));
    await client.resource(pods).create(podObject('high', { ...big, priorityClassName: 'high' }));
    // The victim is marked, then deleted (a bound pod without a kubelet keeps its deletionTimestamp).
    const low = await eventually(async () => {
      const p = await client.resource(pods).get('low', 'default');
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    const conditions = (low as { status?: { conditions?: Record<string, unknown>[] } }).status?.conditions;
    expect(conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    const high = await eventually(async () => {
      const p = (await client.resource(pods).get('high', 'default')) as { status?: { nominatedNodeName?: string } };
      return p.status?.nominatedNodeName;
    });
    expect(high).toBe('only');
  });

  it('binds the preemptor to its nominated node once the victim is gone (nodeSelector, 3 nodes)', async () => {
    for (const [i, zone] of ['zone-a', 'zone-b', 'zone-c'].entries()) {
      await client.resource(nodes).create(nodeObject(`node-${i + 1}`, zone, '4'));
    }
    scheduler = await startScheduler({ client });
    for (const [name, value] of [
      ['low', 10],
      ['high', 1000],
    ] as const) {
      await client.resource(priorityClasses).create({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        value,
      });
    }
    const filler = (className: string) => ({
      priorityClassName: className,
      nodeSelector: { 'kubernetes.io/hostname': 'node-2' },
      containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '3' } } }],
    });
    await client.resource(pods).create(podObject('low', filler('low')));
    await eventually(() => nodeOf('low'));
    await client.resource(pods).create(podObject('high', filler('high')));
    // Stand in for the kubelet: once the victim is terminating, it goes away.
    await eventually(async () => {
      const low = await client.resource(pods).get('low', 'default');
      return low.metadata.deletionTimestamp ? true : undefined;
    });
    // Its containers stop first (a terminal phase frees the node), then the object goes.
    await client
      .resource(pods)
      .patch('low', 'default', 'merge', { status: { phase: 'Failed' } }, { subresource: 'status' });
    await client.resource(pods).delete('low', 'default', { gracePeriodSeconds: 0 });
    expect(await eventually(() => nodeOf('high'), 15_000)).toBe('node-2');
  }, 30_000);
});
