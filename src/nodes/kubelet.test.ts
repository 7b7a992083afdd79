import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import type { KubeClient } from '../client/types.ts';
import { createFakeClock, type FakeClock } from '../controllers/runtime/fake-clock.ts';
import { createEventRecorder } from '../events/recorder.ts';
import { createRegistry } from '../registry/registry.ts';
import { conflict } from '../status.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Pod } from './api-types.ts';
import { createKubelet, type Kubelet } from './kubelet.ts';
import { createLogStore } from './log-store.ts';
import { defaultTimings } from './sim-types.ts';
import { podRef } from './test-refs.test-helpers.ts';
import { createTimerWheel } from './timer-wheel.ts';
import { createWriteQueue, type WriteQueue } from './write-queue.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface Harness {
  client: KubeClient;
  clock: FakeClock;
  kubelet: Kubelet;
  writes: WriteQueue;
  /** Phases of the status writes the kubelet made, in order. */
  written: string[];
}

/**
 * One kubelet on a real registry; pulls take `pullMs` of simulated time. The first `conflicts` status
 * writes of a Running pod lose a race (409), as when the scheduler or a controller wrote it in between.
 */
async function harness(pullMs: number, concurrency = 1, conflicts = 0): Promise<Harness> {
  let conflictsLeft = conflicts;
  const dataDir = await mkdtemp(join(tmpdir(), 'wharf-kubelet-'));
  const store = await createEmbeddedStore({ dataDir });
  const clock = createFakeClock(Date.parse('2026-03-01T10:00:00Z'));
  const base = createLocalClient(await createRegistry({ store, clock: () => clock.now() }), {
    username: 'test',
    groups: ['system:masters'],
  });
  const written: string[] = [];
  // Records each status write the kubelet sends; the writes themselves go to the registry.
  const client: KubeClient = {
    ...base,
    resource(ref) {
      const api = base.resource(ref);
      if (ref.plural !== 'pods') return api;
      return {
        ...api,
        updateStatus(object) {
          const status = (object as unknown as Pod).status;
          const waiting = status?.containerStatuses?.[0]?.state.waiting?.reason;
          written.push(`${status?.phase}${waiting ? `/${waiting}` : ''}`);
          if (status?.phase === 'Running' && conflictsLeft > 0) {
            conflictsLeft--;
            return Promise.reject(conflict({ group: '', resource: 'pods' }, 'web'));
          }
          return api.updateStatus(object);
        },
      };
    },
  };
  const writes = createWriteQueue({ concurrency });
  const wheel = createTimerWheel(clock);
  const kubelet = createKubelet({
    nodeName: 'node-1',
    hostIP: '172.18.0.2',
    podCIDR: '10.244.0.0/24',
    client,
    clock,
    wheel,
    recorder: createEventRecorder(base, { component: 'kubelet', host: 'node-1' }, () => clock.now()),
    logs: createLogStore(),
    lookup: { configMap: () => undefined, secret: () => undefined },
    timings: { ...defaultTimings, pullMs: () => pullMs },
    newContainerID: () => 'abc',
    writes,
  });
  cleanups.push(async () => {
    kubelet.stop();
    wheel.stop();
    writes.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { client, clock, kubelet, writes, written };
}

async function createPod(client: KubeClient): Promise<Pod> {
  return client.resource(podRef).create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'nginx:1.27' }] },
  } as Pod);
}

/** A kubelet with pod default/web Running and its writes settled. */
async function runningPod() {
  const h = await harness(1000);
  h.kubelet.syncPod(await createPod(h.client));
  await h.clock.advance(2000);
  await h.writes.idle();
  return { h, pods: h.client.resource(podRef) };
}

/** A write that holds the queue's only slot until released, as a busy API server would. */
function occupy(writes: WriteQueue): () => void {
  let release = () => {};
  void writes.enqueue('status', () => new Promise<void>((resolve) => (release = resolve)));
  return () => release();
}

describe('kubelet status writes', () => {
  it('writes Pending with ContainerCreating at admission, then Running, when the API keeps up', async () => {
    const h = await harness(1000);
    h.kubelet.syncPod(await createPod(h.client));
    await h.writes.idle();
    expect(h.written).toEqual(['Pending/ContainerCreating']);
    await h.clock.advance(2000);
    await h.writes.idle();
    expect(h.written).toEqual(['Pending/ContainerCreating', 'Running']);
    const stored = await h.client.resource(podRef).get('web', 'default');
    expect(stored.status?.phase).toBe('Running');
  });

  it('sends one write with the newest status for stages that happened while its write waited', async () => {
    const h = await harness(1000);
    const release = occupy(h.writes);
    h.kubelet.syncPod(await createPod(h.client));
    // Sandbox, pull, create and start all happen before the queued write gets its turn.
    await h.clock.advance(2000);
    expect(h.written).toEqual([]);
    release();
    await h.writes.idle();
    expect(h.written).toEqual(['Running']);
    const stored = await h.client.resource(podRef).get('web', 'default');
    expect(stored.status?.containerStatuses?.[0]?.state.running).toBeDefined();
    expect(stored.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('writes again when every attempt of a status write lost a race, instead of counting it as written', async () => {
    const h = await harness(1000, 1, 3);
    h.kubelet.syncPod(await createPod(h.client));
    await h.clock.advance(2000);
    await h.writes.idle();
    const stored = await h.client.resource(podRef).get('web', 'default');
    expect(stored.status?.phase).toBe('Running');
    expect(stored.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(h.written.length).toBeGreaterThan(3);
  });

  it('puts its status back when another writer changed it (the node controller marking the pod not Ready)', async () => {
    const { h, pods } = await runningPod();
    const running = await pods.get('web', 'default');
    const notReady = await pods.updateStatus({
      ...running,
      status: {
        ...running.status,
        conditions: running.status?.conditions?.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c)),
      },
    });
    const before = h.written.length;
    h.kubelet.syncPod(notReady);
    await h.writes.idle();
    expect(h.written.length).toBe(before + 1);
    const restored = await pods.get('web', 'default');
    expect(restored.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('leaves a terminal phase another writer set (a kubelet never moves a pod out of Failed)', async () => {
    const { h, pods } = await runningPod();
    const running = await pods.get('web', 'default');
    const failed = await pods.updateStatus({ ...running, status: { ...running.status, phase: 'Failed' } });
    const before = h.written.length;
    h.kubelet.syncPod(failed);
    await h.clock.advance(60_000);
    await h.writes.idle();
    expect(h.written.length).toBe(before);
    expect((await pods.get('web', 'default')).status?.phase).toBe('Failed');
  });

  it('does not write when another writer changed the pod but left its status as written', async () => {
    const { h, pods } = await runningPod();
    const labelled = await pods.patch('web', 'default', 'merge', { metadata: { labels: { touched: 'yes' } } });
    const before = h.written.length;
    h.kubelet.syncPod(labelled);
    await h.writes.idle();
    expect(h.written.length).toBe(before);
  });

  it('ends a running program with the exit code it is given (an attached shell exited)', async () => {
    const h = await harness(1000);
    const pods = h.client.resource(podRef);
    const pod = await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shell', namespace: 'default' },
      spec: {
        nodeName: 'node-1',
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox', args: ['sh'] }],
      },
    } as Pod);
    h.kubelet.syncPod(pod);
    await h.clock.advance(2000);
    await h.writes.idle();
    expect((await pods.get('shell', 'default')).status?.phase).toBe('Running');
    h.kubelet.endProgram(pod.metadata.uid ?? '', 'main', 5);
    await h.writes.idle();
    const ended = await pods.get('shell', 'default');
    expect(ended.status?.phase).toBe('Failed');
    expect(ended.status?.containerStatuses?.[0]?.state.terminated?.exitCode).toBe(5);
  });
});
