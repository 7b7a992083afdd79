import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import type { KubeClient } from '../client/types.ts';
import { createFakeClock, type FakeClock } from '../controllers/runtime/fake-clock.ts';
import { createRegistry } from '../registry/registry.ts';
import { isStatusError } from '../status.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import type { CoreEvent, Lease, Node, Pod } from './api-types.ts';
import { type SimulatedNodes, startSimulatedNodes } from './engine.ts';
import { eventsRef, leaseRef, nodeRef, podRef } from './test-refs.test-helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function cluster(): Promise<{ client: KubeClient; clock: FakeClock; nodes: SimulatedNodes }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wharf-nodes-'));
  const store: Store = await createEmbeddedStore({ dataDir });
  cleanups.push(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const clock = createFakeClock(Date.parse('2026-03-01T10:00:00Z'));
  const registry = await createRegistry({ store, clock: () => clock.now() });
  const client = createLocalClient(registry, { username: 'system:node:test', groups: ['system:masters'] });
  let id = 0;
  const nodes = await startSimulatedNodes({
    client,
    count: 2,
    serverVersion: 'v1.35.0',
    clock,
    newContainerID: () => `id${++id}`,
  });
  cleanups.push(() => nodes.stop());
  return { client, clock, nodes };
}

/** Lets the store's disk writes finish: simulated time must not outrun real I/O. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Advances simulated time in steps until `check` passes; asserts nothing about wall-clock time. */
async function eventually<T>(clock: FakeClock, check: () => Promise<T>, stepMs = 500, steps = 400): Promise<T> {
  let last: unknown;
  for (let i = 0; i < steps; i++) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    await settle();
    await clock.advance(stepMs);
  }
  throw last;
}

/** Patches retried on Conflict: wharf's registry does not retry a patch that races another write yet. */
async function annotate(client: KubeClient, name: string, state: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client
        .resource(nodeRef)
        .patch(name, undefined, 'merge', { metadata: { annotations: { 'sim.wharf.dev/state': state } } });
    } catch (err) {
      if (!(isStatusError(err) && err.code === 409) || attempt > 20) throw err;
      await settle();
    }
  }
}

function pod(name: string, spec: Partial<Pod['spec']>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'busybox:1.36' }], ...spec },
  };
}

describe('startSimulatedNodes', () => {
  it('registers ready nodes with leases', async () => {
    const { client, clock } = await cluster();
    const list = await client.resource(nodeRef).list();
    expect(list.items.map((n) => n.metadata.name).sort()).toEqual(['node-1', 'node-2']);
    const node = list.items.find((n) => n.metadata.name === 'node-1') as Node;
    expect(node.metadata.labels?.['topology.kubernetes.io/zone']).toBe('zone-a');
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
    });
    const lease = await eventually(clock, () => client.resource(leaseRef).get('node-1', 'kube-node-lease'));
    expect(lease.spec).toMatchObject({ holderIdentity: 'node-1', leaseDurationSeconds: 40 });
  });

  it('runs a pod to completion with logs and events', async () => {
    const { client, clock, nodes } = await cluster();
    await client.resource(podRef).create(
      pod('job', {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello; sleep 2'] }],
      }),
    );
    const done = await eventually(clock, async () => {
      const p = await client.resource(podRef).get('job', 'default');
      if (p.status?.phase !== 'Succeeded') throw new Error(`phase ${p.status?.phase}`);
      return p;
    });
    expect(done.status?.containerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(done.status?.podIP).toMatch(/^10\.244\.0\.\d+$/);
    const text = await new Response(await nodes.logs.getLogs('default', 'job', undefined)).text();
    expect(text).toBe('hello\n');
    await expect(nodes.logs.getLogs('default', 'job', 'nope')).rejects.toMatchObject({
      code: 400,
      message: 'container nope is not valid for pod job',
    });
    await expect(nodes.logs.getLogs('default', 'missing', undefined)).rejects.toMatchObject({ code: 404 });
    const events = await client.resource(eventsRef).list({ namespace: 'default' });
    expect((events.items as CoreEvent[]).filter((e) => e.involvedObject.name === 'job').map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Pulling', 'Pulled', 'Created', 'Started']),
    );
  });

  it('deletes a gracefully deleted pod after stopping it', async () => {
    const { client, clock } = await cluster();
    await client.resource(podRef).create(pod('server', {}));
    await eventually(clock, async () => {
      const p = await client.resource(podRef).get('server', 'default');
      if (p.status?.phase !== 'Running') throw new Error('not running');
    });
    await client.resource(podRef).delete('server', 'default');
    await eventually(clock, async () => {
      try {
        await client.resource(podRef).get('server', 'default');
      } catch (err) {
        if (isStatusError(err) && err.code === 404) return;
        throw err;
      }
      throw new Error('still there');
    });
  });

  it('stops renewing the lease of a node annotated NotReady', async () => {
    const { client, clock } = await cluster();
    const leases = client.resource(leaseRef);
    await eventually(clock, () => leases.get('node-2', 'kube-node-lease'));
    await annotate(client, 'node-2', 'NotReady');
    await settle();
    await clock.advance(10_000);
    await settle();
    const before = (await leases.get('node-2', 'kube-node-lease')) as Lease;
    for (let i = 0; i < 6; i++) {
      await clock.advance(5_000);
      await settle();
    }
    const after = (await leases.get('node-2', 'kube-node-lease')) as Lease;
    expect(after.spec.renewTime).toBe(before.spec.renewTime);
    await annotate(client, 'node-2', 'Ready');
    const renewed = await eventually(clock, async () => {
      const l = await leases.get('node-2', 'kube-node-lease');
      if (l.spec.renewTime === before.spec.renewTime) throw new Error('not renewed');
      return l;
    });
    expect(renewed.spec.holderIdentity).toBe('node-2');
  });
});
