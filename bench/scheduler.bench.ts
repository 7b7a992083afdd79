/**
 * npm run bench scheduler: kube-scheduler-style throughput on 5,000 nodes. Each workload gets a fresh
 * embedded store, registry and in-process client; nodes and pending pods are created first, then the
 * scheduler starts and the clock runs until every pod is bound (through pods/binding, with events).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalClient } from '../src/client/local-client.ts';
import { nodes, pods, priorityClasses } from '../src/client/resources.ts';
import type { KubeClient } from '../src/client/types.ts';
import { createRegistry } from '../src/registry/index.ts';
import { startScheduler } from '../src/scheduler/scheduler.ts';
import { createEmbeddedStore } from '../src/storage/embedded/index.ts';
import type { KubeObject } from '../src/types/meta.ts';
import { type Metric, metric, percentile } from './harness.ts';

const nodeCount = Number(process.env.BENCH_NODES ?? 5000);
const podCount = Number(process.env.BENCH_PODS ?? 10_000);
const zones = ['zone-a', 'zone-b', 'zone-c'];
const admin = { username: 'bench', groups: ['system:masters'] };

type PodShape = (i: number) => { labels?: Record<string, string>; spec?: Record<string, unknown>; priority?: number };

async function inParallel(count: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

async function createNodes(client: KubeClient, cpu: string): Promise<void> {
  await inParallel(nodeCount, 50, (i) => {
    const allocatable = { cpu, memory: '16Gi', pods: '110' };
    const name = `node-${i}`;
    return client.resource(nodes).create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zones[i % 3] as string },
      },
      spec: {},
      status: { allocatable, capacity: allocatable },
    });
  });
}

function podObject(name: string, shape: ReturnType<PodShape>, cpu = '100m'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: shape.labels ?? {} },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory: '64Mi' } } }],
      ...(shape.priority !== undefined ? { priorityClassName: `bench-${shape.priority}` } : {}),
      ...shape.spec,
    },
  };
}

const victimsPerNode = () => Math.max(1, Math.ceil(podCount / nodeCount));
/** k pods of this size fit in 1 cpu and k + 1 do not. */
const preemptionPodCpu = () => `${Math.floor(1000 / (victimsPerNode() + 0.5))}m`;

interface Workload {
  name: string;
  target: number;
  shape: PodShape;
  /** Pods placed (and bound) before the measured ones, e.g. low-priority victims. */
  prepare?(client: KubeClient): Promise<number>;
  nodeCpu?: string;
  podCpu?: string;
}

/**
 * Stands in for kubelets in this benchmark: a bound pod that is being deleted (a preemption victim) is
 * removed with grace period 0, as its kubelet would after stopping the containers.
 */
function startReaper(client: KubeClient, watcher: KubeClient): AbortController {
  const abort = new AbortController();
  void (async () => {
    try {
      for await (const e of watcher.resource(pods).watch({ signal: abort.signal })) {
        if (e.type !== 'DELETED' && e.object.metadata.deletionTimestamp) {
          void client
            .resource(pods)
            .delete(e.object.metadata.name as string, e.object.metadata.namespace, { gracePeriodSeconds: 0 })
            .catch(() => undefined);
        }
      }
    } catch {
      // Ended by abort.
    }
  })();
  return abort;
}

/**
 * BENCH_CPU_PROFILE=<dir>: a .cpuprofile of each workload's measured phase only (node and pod creation
 * excluded), so a profile shows what scheduling itself costs.
 */
async function startProfile(): Promise<(name: string) => Promise<void>> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `scheduler-${name.replace(/[^a-z]+/g, '-')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

async function runWorkload(w: Workload): Promise<Metric[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-bench-sched-'));
  const store = await createEmbeddedStore({ dataDir: dir });
  const registry = await createRegistry({ store });
  const client = createLocalClient(registry, admin);
  // As wharf runs it: the scheduler's informers share the registry's frozen objects.
  const schedulerClient = createLocalClient(registry, admin, { sharedReads: true });
  try {
    await createNodes(client, w.nodeCpu ?? '4');
    // Pods get their priority from a PriorityClass, through the API server's Priority admission.
    for (const value of [0, 1000]) {
      await client.resource(priorityClasses).create({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: `bench-${value}` },
        value,
      });
    }
    let already = 0;
    if (w.prepare) {
      const warm = await startScheduler({ client: schedulerClient });
      already = await w.prepare(client);
      // Bounded, so a workload that cannot place its victims still reports (as pods bound short of the target).
      const prepareDeadline = performance.now() + 120_000;
      while (warm.stats.scheduled < already && performance.now() < prepareDeadline)
        await new Promise((r) => setTimeout(r, 50));
      if (warm.stats.scheduled < already) console.warn(`${w.name}: only ${warm.stats.scheduled} of ${already} placed`);
      await warm.stop();
    }
    await inParallel(podCount, 50, (i) =>
      client.resource(pods).create(podObject(`${w.name.replace(/[^a-z]+/g, '-')}-${i}`, w.shape(i), w.podCpu)),
    );
    const stopProfile = await startProfile();
    const memoryBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    // Only preemption deletes pods; elsewhere a kubelet stand-in would be one more watcher to feed.
    const reaper = w.prepare ? startReaper(client, schedulerClient) : undefined;
    const scheduler = await startScheduler({ client: schedulerClient });
    const deadline = started + 300_000;
    while (scheduler.stats.scheduled < podCount && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const decisions = scheduler.stats.decisionMs;
    const rss = process.memoryUsage().rss;
    const cpu = process.cpuUsage(cpuBefore);
    const bound = scheduler.stats.scheduled;
    await stopProfile(w.name);
    await scheduler.stop();
    reaper?.abort();
    return [
      metric(`${w.name}: pods/s`, bound / seconds, 'pods/s', { min: w.target }),
      metric(`${w.name}: pods bound`, bound, 'pods', { min: podCount }),
      // Above 1 when pods are retried (preemption needs two cycles: nominate, then bind).
      metric(`${w.name}: scheduling cycles per pod`, scheduler.stats.attempts / Math.max(1, bound), 'cycles'),
      // CPU time is steadier than wall time on a shared machine.
      metric(`${w.name}: CPU per pod (whole process)`, (cpu.user + cpu.system) / 1000 / Math.max(1, bound), 'ms'),
      metric(`${w.name}: decision p50`, percentile(decisions, 50), 'ms'),
      metric(`${w.name}: decision p99`, percentile(decisions, 99), 'ms'),
      metric(`${w.name}: decision mean`, decisions.reduce((a, b) => a + b, 0) / Math.max(1, decisions.length), 'ms'),
      metric(`${w.name}: rss`, rss / 2 ** 20, 'MiB'),
      metric(`${w.name}: rss growth while scheduling`, (rss - memoryBefore) / 2 ** 20, 'MiB'),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const workloads: Workload[] = [
  { name: 'default plugins', target: 1000, shape: () => ({}) },
  {
    name: 'topology spread',
    target: 600,
    shape: (i) => ({
      labels: { app: `spread-${i % 100}` },
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { app: `spread-${i % 100}` } },
          },
        ],
      },
    }),
  },
  {
    name: 'required anti-affinity',
    target: 300,
    shape: (i) => ({
      labels: { group: `g-${i % 1000}` },
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { group: `g-${i % 1000}` } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
      },
    }),
  },
  {
    name: 'preemption',
    target: 600,
    // Every node (1 cpu) is filled by k low-priority pods, k = pods per node to place; each measured pod
    // is as big as a victim, so it fits only by evicting one: every measured pod preempts exactly once,
    // and all of them fit in the end (k victims out, k measured pods in).
    nodeCpu: '1',
    podCpu: preemptionPodCpu(),
    shape: () => ({ priority: 1000 }),
    async prepare(client) {
      const victims = nodeCount * victimsPerNode();
      await inParallel(victims, 50, (i) =>
        client.resource(pods).create(podObject(`victim-${i}`, { priority: 0 }, preemptionPodCpu())),
      );
      return victims;
    },
  },
];

export default async function scheduler(): Promise<Metric[]> {
  const only = process.env.BENCH_WORKLOADS?.split(',');
  const out: Metric[] = [metric('nodes', nodeCount, 'nodes'), metric('pods per workload', podCount, 'pods')];
  for (const w of workloads) {
    if (only && !only.some((o) => w.name.startsWith(o))) continue;
    out.push(...(await runWorkload(w)));
  }
  return out;
}
