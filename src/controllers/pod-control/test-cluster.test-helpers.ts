/**
 * Test scaffolding for workload controllers: a real registry on the embedded store in a temp dir, the
 * local client, shared informers, and controllers run by the real worker loop. Pods are made Ready by
 * hand (`markReady`) where a test does not need the scheduler and simulated kubelets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalClient } from '../../client/local-client.ts';
import { namespaces, pods } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import { createRegistry } from '../../registry/index.ts';
import { isStatusError } from '../../status.ts';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import type { Store } from '../../storage/types.ts';
import { type Clock, realClock, toTime } from '../runtime/clock.ts';
import { createInformers, type Informers } from '../runtime/informer-factory.ts';
import { type Controller, type RunningController, runController } from '../runtime/run-controller.ts';
import type { Pod } from './types.ts';

export interface TestCluster {
  client: KubeClient;
  informers: Informers;
  recorder: EventRecorder;
  /** Starts informers, waits for sync, runs the controllers. */
  run(...controllers: Controller[]): Promise<void>;
  close(): Promise<void>;
}

export async function startTestCluster(clock: Clock = realClock): Promise<TestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-workload-'));
  const store: Store = await createEmbeddedStore({ dataDir });
  const client = createLocalClient(await createRegistry({ store }), {
    username: 'system:admin',
    groups: ['system:masters'],
  });
  const informers = createInformers(client, { clock, freeze: true, onError: () => {} });
  const abort = new AbortController();
  const running: RunningController[] = [];
  return {
    client,
    informers,
    recorder: createEventRecorder(client, { component: 'test' }),
    async run(...controllers) {
      informers.start(abort.signal);
      await informers.waitForSync(abort.signal);
      for (const c of controllers) running.push(runController({ ...c, onError: () => {} }));
    },
    async close() {
      await Promise.all(running.map((r) => r.stop()));
      abort.abort();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.resource(namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** What a kubelet reports for a running, ready pod (phase Running, Ready=True since `at`). */
export async function markReady(client: KubeClient, pod: Readonly<Pod>, at = realClock.now()): Promise<void> {
  const since = toTime(at);
  const conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
    type,
    status: 'True' as const,
    lastTransitionTime: since,
  }));
  await client.resource<Pod>(pods).patch(
    pod.metadata.name ?? '',
    pod.metadata.namespace,
    'merge',
    { status: { phase: 'Running', conditions } },
    {
      subresource: 'status',
    },
  );
}

/**
 * Retries a write that lost a race with a controller's write (409). The registry retries patches that
 * name no resourceVersion itself (97c8d78); this keeps the tests independent of that.
 */
export async function retryConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= 20 || !(isStatusError(err) && err.code === 409)) throw err;
    }
  }
}

/** Pods with this annotation are never made ready by the fake kubelet (a broken image). */
export const neverReadyAnnotation = 'test.wharf.dev/never-ready';

/**
 * A stand-in for scheduler + kubelets where a test only needs pods to run: every new pod is bound to
 * `node-1` and made Ready, and a pod being deleted is removed at once.
 */
export function startFakeKubelet(client: KubeClient, informers: Informers): void {
  const api = client.resource<Pod>(pods);
  const handle = (pod: Readonly<Pod>) => {
    const { name, namespace } = pod.metadata;
    if (pod.metadata.deletionTimestamp) {
      void api.delete(name ?? '', namespace, { gracePeriodSeconds: 0 }).catch(() => undefined);
    } else if (!pod.status?.conditions?.some((c) => c.type === 'Ready')) {
      if (pod.metadata.annotations?.[neverReadyAnnotation]) return;
      void markReady(client, pod).catch(() => undefined);
    }
  };
  informers.informerFor<Pod>(pods).addHandlers({ onAdd: handle, onUpdate: (_old, pod) => handle(pod) });
}

export const container = { name: 'app', image: 'nginx:1.27' };
