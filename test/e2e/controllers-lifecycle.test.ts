/**
 * Namespace, garbage-collector and Job controllers through real kubectl against `wharf up --nodes 3`:
 * a namespace of 100 objects of many kinds (a custom resource among them) deleted through Terminating,
 * foreground deletion of a Deployment (its ReplicaSets and pods go first), and a Job of 10 completions
 * at parallelism 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/client/http-client.ts';
import { loadKubeconfig } from '../../src/client/kubeconfig.ts';
import { deployments, pods, replicaSets } from '../../src/client/resources.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { kubectlFor, until } from './controllers-kubectl.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 3 });
}, 60_000);
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const k = kubectlFor('1.35', () => wharf.kubeconfig, 120_000);

const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

/** 100 objects: 30 ConfigMaps, 20 Secrets, 10 Services, 10 Deployments, 10 Jobs, 20 Widgets. */
function hundredObjects(ns: string): string {
  const docs: string[] = [];
  const add = (count: number, make: (i: number) => string) => {
    for (let i = 0; i < count; i++) docs.push(make(i));
  };
  add(30, (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm-${i}, namespace: ${ns} }\ndata: { k: v${i} }`);
  add(
    20,
    (i) => `apiVersion: v1\nkind: Secret\nmetadata: { name: secret-${i}, namespace: ${ns} }\nstringData: { k: v${i} }`,
  );
  add(
    10,
    (i) =>
      `apiVersion: v1\nkind: Service\nmetadata: { name: svc-${i}, namespace: ${ns} }\nspec: { selector: { app: d-${i} }, ports: [{ port: 80 }] }`,
  );
  add(
    10,
    (i) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: d-${i}, namespace: ${ns} }
spec:
  replicas: 1
  selector: { matchLabels: { app: d-${i} } }
  template:
    metadata: { labels: { app: d-${i} } }
    spec: { containers: [{ name: app, image: nginx:1.27 }] }`,
  );
  add(
    10,
    (i) => `apiVersion: batch/v1
kind: Job
metadata: { name: job-${i}, namespace: ${ns} }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: app, image: busybox, command: [sleep, "3600"] }]`,
  );
  add(
    20,
    (i) =>
      `apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w-${i}, namespace: ${ns} }\nspec: { size: ${i} }`,
  );
  return docs.join('\n---\n');
}

describe('lifecycle controllers', () => {
  it('deletes a namespace of 100 objects of many kinds through Terminating', async () => {
    const ns = 'hundred';
    await k.okWith(crd, 'apply', '-f', '-');
    await k.ok('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s');
    await k.ok('create', 'namespace', ns);
    await k.okWith(hundredObjects(ns), 'apply', '-f', '-');
    const kinds = 'configmaps,secrets,services,deployments,jobs,widgets';
    const count = async () => (await k.json<{ items: unknown[] }>('-n', ns, 'get', kinds)).items.length;
    // Plus the kube-root-ca.crt ConfigMap every namespace gets.
    expect(await count()).toBe(101);
    await until(async () => {
      const pods = await k.json<{ items: unknown[] }>('-n', ns, 'get', 'pods');
      expect(pods.items.length).toBe(20);
    }, 60_000);

    await k.ok('delete', 'namespace', ns, '--wait=false');
    const terminating = await k.json<{ status: { phase: string } }>('get', 'namespace', ns);
    expect(terminating.status.phase).toBe('Terminating');
    await until(async () => {
      const result = await k.raw('get', 'namespace', ns);
      expect(result.stderr).toContain(`namespaces "${ns}" not found`);
    }, 90_000);
    const left = await k.json<{ items: unknown[] }>(
      'get',
      `${kinds},pods,replicasets`,
      '-A',
      '--field-selector',
      `metadata.namespace=${ns}`,
    );
    expect(left.items).toEqual([]);
  }, 180_000);

  it('deletes a Deployment in the foreground: its ReplicaSets and pods go before it does', async () => {
    const ns = 'foreground';
    await k.ok('create', 'namespace', ns);
    await k.ok('-n', ns, 'create', 'deployment', 'x', '--image=nginx:1.27', '--replicas=3');
    await k.ok('-n', ns, 'rollout', 'status', 'deployment/x', '--timeout=60s');
    const client = createHttpClient(loadKubeconfig(wharf.kubeconfig));
    const stop = new AbortController();
    const watched: [string, number][] = [];
    const finalizersSeen: string[] = [];
    for (const ref of [deployments, replicaSets, pods]) {
      const list = await client.resource(ref).list({ namespace: ns });
      void (async () => {
        const events = client
          .resource(ref)
          .watch({ namespace: ns, resourceVersion: list.metadata.resourceVersion ?? '0', signal: stop.signal });
        for await (const event of events) {
          if (ref.kind === 'Deployment') finalizersSeen.push(...(event.object.metadata.finalizers ?? []));
          if (event.type === 'DELETED') watched.push([ref.kind, Number(event.object.metadata.resourceVersion)]);
        }
      })().catch(() => {});
    }
    await k.ok('-n', ns, 'delete', 'deployment', 'x', '--cascade=foreground', '--wait=false');
    // It may be gone by the time kubectl could look: the watch saw it carry the finalizer.
    await until(async () => expect(finalizersSeen).toContain('foregroundDeletion'), 30_000);

    // Deletions in revision order: the Deployment's must come after every ReplicaSet's and pod's.
    const revisions = async () => {
      const deleted = new Map<string, number>();
      for (const [kind, revision] of watched) deleted.set(kind, Math.max(deleted.get(kind) ?? 0, revision));
      return deleted;
    };
    await until(async () => {
      const items = (await k.json<{ items: unknown[] }>('-n', ns, 'get', 'deployments,replicasets,pods')).items;
      expect(items).toEqual([]);
    }, 60_000);
    const deleted = await revisions();
    stop.abort();
    expect(deleted.get('Pod')).toBeGreaterThan(0);
    expect(deleted.get('ReplicaSet')).toBeGreaterThan(0);
    expect(deleted.get('Deployment')).toBeGreaterThan(
      Math.max(deleted.get('Pod') ?? 0, deleted.get('ReplicaSet') ?? 0),
    );
  }, 120_000);

  it('completes a Job of 10 completions with parallelism 3, never more than 3 active', async () => {
    const ns = 'jobs';
    await k.ok('create', 'namespace', ns);
    await k.okWith(
      `apiVersion: batch/v1
kind: Job
metadata: { name: ten, namespace: ${ns} }
spec:
  completions: 10
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: app, image: busybox, command: [sh, -c, "sleep 1"] }]`,
      'apply',
      '-f',
      '-',
    );
    let maxActive = 0;
    await until(
      async () => {
        const job = await k.json<{
          status?: { active?: number; succeeded?: number; conditions?: { type: string; status: string }[] };
        }>('-n', ns, 'get', 'job', 'ten');
        maxActive = Math.max(maxActive, job.status?.active ?? 0);
        expect(job.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
        expect(job.status?.succeeded).toBe(10);
      },
      90_000,
      300,
    );
    expect(maxActive).toBeGreaterThan(0);
    expect(maxActive).toBeLessThanOrEqual(3);
    const pods = await k.json<{ items: { status: { phase: string } }[] }>(
      '-n',
      ns,
      'get',
      'pods',
      '-l',
      'job-name=ten',
    );
    expect(pods.items.filter((p) => p.status.phase === 'Succeeded')).toHaveLength(10);
    expect(await k.ok('-n', ns, 'get', 'job', 'ten')).toMatch(/^ten\s+Complete\s+10\/10\s+/m);
  }, 120_000);
});
