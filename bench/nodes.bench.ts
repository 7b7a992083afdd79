/**
 * npm run bench nodes: the simulated kubelets at scale, in one process over the in-process client
 * (embedded store, real registry). 5,000 nodes register and turn Ready; while idle every Lease must be
 * renewed every 10 s ± 1 s (measured from the renewTimes the registry sees through a watch), with the
 * process's CPU and memory reported; then 10,000 pods, bound by spec.nodeName (no scheduler, so the
 * kubelets are what is measured), go from created to Running. BENCH_NODES, BENCH_PODS and
 * BENCH_IDLE_SECONDS scale it down for a quick run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalClient } from '../src/client/local-client.ts';
import { nodes as nodeRef, pods as podRef } from '../src/client/resources.ts';
import type { KubeClient } from '../src/client/types.ts';
import { wharfVersion } from '../src/cluster/version.ts';
import { startSimulatedNodes } from '../src/nodes/index.ts';
import { createRegistry } from '../src/registry/index.ts';
import { createEmbeddedStore } from '../src/storage/embedded/index.ts';
import type { KubeObject } from '../src/types/meta.ts';
import { type Metric, metric, percentile } from './harness.ts';

const nodeCount = Number(process.env.BENCH_NODES ?? 5000);
const podCount = Number(process.env.BENCH_PODS ?? 10_000);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 25);
/** Concurrent creates: the embedded store commits durably in batches, so throughput grows with batch size. */
const createWidth = Number(process.env.BENCH_CREATE_WIDTH ?? 500);
const admin = { username: 'bench', groups: ['system:masters'] };
const leaseRef = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true };

type Lease = KubeObject & { spec: { renewTime?: string } };
type Pod = KubeObject & { status?: { phase?: string } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => bytes / 2 ** 20;

async function inParallel(count: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

async function readyNodes(client: KubeClient): Promise<number> {
  const list = await client.resource(nodeRef).list();
  return list.items.filter((n) =>
    ((n.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ),
  ).length;
}

/** Renewal intervals per lease, from every renewTime a watch delivers during the idle window. */
async function watchRenewals(client: KubeClient, ms: number): Promise<{ intervals: number[]; renewed: Set<string> }> {
  const abort = new AbortController();
  const last = new Map<string, number>();
  const intervals: number[] = [];
  const renewed = new Set<string>();
  const start = (await client.resource(leaseRef).list({ namespace: 'kube-node-lease' })).metadata.resourceVersion;
  const watching = (async () => {
    try {
      for await (const e of client
        .resource<Lease>(leaseRef)
        .watch({ namespace: 'kube-node-lease', ...(start ? { resourceVersion: start } : {}), signal: abort.signal })) {
        const name = e.object.metadata.name ?? '';
        const at = Date.parse(e.object.spec.renewTime ?? '');
        const previous = last.get(name);
        if (previous !== undefined && at > previous) intervals.push(at - previous);
        last.set(name, at);
        renewed.add(name);
      }
    } catch {
      // Ended by abort.
    }
  })();
  await sleep(ms);
  abort.abort();
  await watching;
  return { intervals, renewed };
}

/** Resolves with the time the `count`-th pod turned Running. */
function waitForRunning(client: KubeClient, count: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const running = new Set<string>();
    (async () => {
      for await (const e of client.resource<Pod>(podRef).watch({ namespace: 'bench', signal })) {
        if (e.object.status?.phase === 'Running') running.add(e.object.metadata.name ?? '');
        if (running.size >= count) return resolve(performance.now());
      }
    })().catch(reject);
  });
}

function benchPod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: 'bench' },
    spec: {
      nodeName: `node-${(i % nodeCount) + 1}`,
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m' } } }],
    },
  } as Pod;
}

export default async function nodesBench(): Promise<Metric[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-bench-nodes-'));
  const store = await createEmbeddedStore({ dataDir: dir });
  const client = createLocalClient(await createRegistry({ store }), admin);
  try {
    const cpuAtStart = process.cpuUsage();
    const started = performance.now();
    const simulated = await startSimulatedNodes({ client, count: nodeCount, serverVersion: wharfVersion.gitVersion });
    const registeredSeconds = (performance.now() - started) / 1000;
    const ready = await readyNodes(client);
    const readySeconds = (performance.now() - started) / 1000;
    const startCpu = process.cpuUsage(cpuAtStart);

    // Idle: let the first round of Leases appear, then measure renewals over the rest of the window.
    await sleep(11_000);
    const cpuBefore = process.cpuUsage();
    const idleStart = performance.now();
    const { intervals, renewed } = await watchRenewals(client, idleSeconds * 1000);
    const idleCpu = process.cpuUsage(cpuBefore);
    const idleWall = performance.now() - idleStart;
    const idleRss = process.memoryUsage().rss;
    const sorted = [...intervals].sort((a, b) => a - b);

    await client
      .resource({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false })
      .create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'bench' },
      });
    const abort = new AbortController();
    const podsStart = performance.now();
    const allRunning = waitForRunning(client, podCount, abort.signal);
    const podCpuBefore = process.cpuUsage();
    await inParallel(podCount, createWidth, (i) => client.resource(podRef).create(benchPod(i)));
    const createdSeconds = (performance.now() - podsStart) / 1000;
    let timeout: NodeJS.Timeout | undefined;
    const runningAt = await Promise.race([
      allRunning,
      new Promise<number>((resolve) => {
        timeout = setTimeout(() => resolve(Number.NaN), 300_000);
      }),
    ]);
    clearTimeout(timeout);
    abort.abort();
    const runningSeconds = (runningAt - podsStart) / 1000;
    // Events wait behind status writes in the kubelets' write queue: the CPU per pod counts them too.
    await simulated.settled();
    const settledSeconds = (performance.now() - podsStart) / 1000;
    const podCpu = process.cpuUsage(podCpuBefore);
    const rss = process.memoryUsage().rss;
    await simulated.stop();

    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    return [
      metric('nodes', nodeCount, 'nodes'),
      metric('nodes registered (startSimulatedNodes resolved)', registeredSeconds, 's', { max: 5 }),
      metric('nodes Ready', ready, 'nodes', { min: nodeCount }),
      metric('time to all nodes Ready', readySeconds, 's', { max: 5 }),
      metric('CPU while registering', cpuMs(startCpu), 'ms'),
      metric('leases renewed while idle', renewed.size, 'leases', { min: nodeCount }),
      metric('lease renewal interval p50', percentile(sorted, 50) / 1000, 's'),
      metric('lease renewal interval min', (sorted[0] ?? Number.NaN) / 1000, 's', { min: 9 }),
      metric('lease renewal interval max', (sorted.at(-1) ?? Number.NaN) / 1000, 's', { max: 11 }),
      metric('idle CPU (share of one core)', (cpuMs(idleCpu) / idleWall) * 100, '%'),
      metric('idle rss', mib(idleRss), 'MiB'),
      metric('pods', podCount, 'pods'),
      metric('pods created', podCount / createdSeconds, 'pods/s'),
      metric('pods created → Running', podCount / runningSeconds, 'pods/s', { min: 1000 }),
      metric('seconds until every pod Running', runningSeconds, 's'),
      metric('seconds until every status write and event sent', settledSeconds, 's'),
      metric('CPU per pod (whole process)', cpuMs(podCpu) / podCount, 'ms'),
      metric('rss with pods', mib(rss), 'MiB'),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
