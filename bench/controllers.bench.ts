/**
 * npm run bench controllers: a Deployment of 10,000 replicas on 1,000 simulated nodes, all in one
 * process (embedded store, registry, local client, scheduler, simulated kubelets, deployment and
 * ReplicaSet controllers sharing one set of informers). Measures seconds until every pod is Running,
 * then seconds for a rolling update (new image) to complete, and the process memory at the end.
 * BENCH_REPLICAS and BENCH_NODES scale it down for a quick run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalClient } from '../src/client/local-client.ts';
import { deployments, pods, replicaSets } from '../src/client/resources.ts';
import { wharfVersion } from '../src/cluster/version.ts';
import { deploymentController } from '../src/controllers/deployment/deployment-controller.ts';
import type { Deployment } from '../src/controllers/deployment/types.ts';
import { controllerOf } from '../src/controllers/pod-control/owner.ts';
import type { Pod } from '../src/controllers/pod-control/types.ts';
import { replicaSetController } from '../src/controllers/replicaset.ts';
import { createInformers } from '../src/controllers/runtime/informer-factory.ts';
import { runController } from '../src/controllers/runtime/run-controller.ts';
import { startSimulatedNodes } from '../src/nodes/engine.ts';
import { createRegistry } from '../src/registry/index.ts';
import { startScheduler } from '../src/scheduler/scheduler.ts';
import { createEmbeddedStore } from '../src/storage/embedded/index.ts';
import { type Metric, metric } from './harness.ts';

const replicas = Number(process.env.BENCH_REPLICAS ?? 10_000);
const nodeCount = Number(process.env.BENCH_NODES ?? 1000);
const timeoutMs = 600_000;
const admin = { username: 'bench', groups: ['system:masters'] };

function deployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'big', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'big' } },
      template: {
        metadata: { labels: { app: 'big' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m' } } }] },
      },
    },
  };
}

/** BENCH_DEBUG=1 prints pod counts while waiting. */
let progress: (() => void) | undefined;

/** Polls `done` every 100 ms; resolves with the seconds it took. */
async function secondsUntil(done: () => boolean): Promise<number> {
  const start = performance.now();
  while (!done()) {
    if (process.env.BENCH_DEBUG) progress?.();
    if (performance.now() - start > timeoutMs) throw new Error(`not done after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (performance.now() - start) / 1000;
}

export default async function run(): Promise<Metric[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-bench-controllers-'));
  const store = await createEmbeddedStore({ dataDir });
  const abort = new AbortController();
  try {
    const client = createLocalClient(await createRegistry({ store }), admin);
    const informers = createInformers(client);
    const dependencies = { client, informers };
    const controllers = [deploymentController(dependencies), replicaSetController(dependencies)];
    // Shared informers: started first; the ones the scheduler and kubelets create later start at once.
    informers.start(abort.signal);
    await informers.waitForSync(abort.signal);
    const simulated = await startSimulatedNodes({
      client,
      count: nodeCount,
      serverVersion: wharfVersion.gitVersion,
      informers,
    });
    const scheduler = await startScheduler({ client, informers });
    const running = controllers.map((c) => runController({ ...c, onError: () => {} }));

    const podInformer = informers.informerFor<Pod>(pods);
    const deploymentInformer = informers.informerFor<Deployment>(deployments);
    const runningPods = (rsName?: string) =>
      podInformer
        .list()
        .filter(
          (p) =>
            p.status?.phase === 'Running' &&
            !p.metadata.deletionTimestamp &&
            (rsName === undefined || controllerOf(p)?.name === rsName),
        ).length;
    const rolledOut = () => {
      const d = deploymentInformer.getByName('default', 'big');
      const s = d?.status;
      return (
        d !== undefined &&
        s !== undefined &&
        s.observedGeneration === d.metadata.generation &&
        s.updatedReplicas === replicas &&
        s.replicas === replicas &&
        s.availableReplicas === replicas
      );
    };
    const newReplicaSetName = () => {
      const d = deploymentInformer.getByName('default', 'big');
      const revision = d?.metadata.annotations?.['deployment.kubernetes.io/revision'];
      const rs = informers
        .informerFor(replicaSets)
        .list()
        .find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision);
      return rs?.metadata.name;
    };

    progress = () => {
      const all = podInformer.list();
      console.log(
        Math.round(performance.now()),
        'pods',
        all.length,
        'bound',
        all.filter((p) => p.spec?.nodeName).length,
        'running',
        all.filter((p) => p.status?.phase === 'Running').length,
      );
    };
    const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
    const createCpu = process.cpuUsage();
    await client.resource(deployments).create(deployment());
    const createSeconds = await secondsUntil(() => runningPods() >= replicas && rolledOut());
    const createCpuSeconds = cpuSeconds(process.cpuUsage(createCpu));
    const heapAfterCreate = process.memoryUsage().heapUsed;
    const updateCpu = process.cpuUsage();

    await client.resource(deployments).patch('big', 'default', 'merge', {
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } },
    });
    await secondsUntil(() => deploymentInformer.getByName('default', 'big')?.metadata.generation === 2);
    const updateSeconds = await secondsUntil(() => {
      const name = newReplicaSetName();
      return rolledOut() && name !== undefined && runningPods(name) >= replicas;
    });
    const updateCpuSeconds = cpuSeconds(process.cpuUsage(updateCpu));
    const memory = process.memoryUsage();

    await Promise.all(running.map((r) => r.stop()));
    await scheduler.stop();
    await simulated.stop();
    return [
      metric(`seconds until ${replicas} pods Running (${nodeCount} nodes)`, createSeconds, 's', { max: 60 }),
      metric('CPU seconds (whole process) until Running', createCpuSeconds, 's'),
      metric(`seconds for a rolling update of ${replicas} pods`, updateSeconds, 's'),
      metric('CPU seconds (whole process) for the rolling update', updateCpuSeconds, 's'),
      metric('heap used after create', heapAfterCreate / 2 ** 20, 'MiB'),
      metric('heap used at end', memory.heapUsed / 2 ** 20, 'MiB'),
      metric('rss at end', memory.rss / 2 ** 20, 'MiB'),
      metric('pods bound by the scheduler', scheduler.stats.scheduled, 'pods'),
    ];
  } finally {
    abort.abort();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
