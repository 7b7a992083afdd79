/**
 * Node-facing controllers through real kubectl against `wharf up --nodes 3` (node monitor grace period
 * shortened to 5 s): `kubectl drain` honouring a PodDisruptionBudget (evictions answered 429 until the
 * replacement is Ready), and a node that stops heartbeating (sim.wharf.dev/state=NotReady) going Unknown,
 * tainted unreachable:NoExecute, with its pods recreated elsewhere after their tolerationSeconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { isReady, kubectlFor, type PodSummary, until } from './controllers-kubectl.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 3, extraArgs: ['--node-monitor-grace-period', '5s'] });
}, 60_000);
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const k = kubectlFor('1.35', () => wharf.kubeconfig, 150_000);

const deployment = (ns: string, name: string, replicas: number, tolerationSeconds?: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: nginx:1.27 }]
${
  tolerationSeconds === undefined
    ? ''
    : `      tolerations:
      - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: ${tolerationSeconds} }
      - { key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: ${tolerationSeconds} }`
}
`;

async function podsOf(ns: string, app: string): Promise<PodSummary[]> {
  const list = await k.json<{ items: PodSummary[] }>('-n', ns, 'get', 'pods', '-l', `app=${app}`);
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

/** The node holding the most of these pods. */
function busiestNode(pods: readonly PodSummary[]): string {
  const counts = new Map<string, number>();
  for (const p of pods) counts.set(p.spec.nodeName ?? '', (counts.get(p.spec.nodeName ?? '') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

describe('node controllers', () => {
  it('kubectl drain moves a Deployment off a node, waiting on the PDB between evictions', async () => {
    const ns = 'drain-e2e';
    await k.ok('create', 'namespace', ns);
    await k.okWith(deployment(ns, 'web', 6), 'apply', '-f', '-');
    await k.ok('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    await k.ok('-n', ns, 'create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=5');
    await until(async () => {
      const pdb = await k.json<{ status?: { disruptionsAllowed?: number } }>('-n', ns, 'get', 'pdb', 'web');
      expect(pdb.status?.disruptionsAllowed).toBe(1);
    }, 30_000);
    const node = busiestNode(await podsOf(ns, 'web'));
    const before = (await podsOf(ns, 'web')).filter((p) => p.spec.nodeName === node).length;
    expect(before).toBeGreaterThanOrEqual(2);

    const drained = await k.raw('drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=120s');
    const state = async () =>
      `${await k.ok('-n', ns, 'get', 'pdb', 'web', '-o', 'yaml')}\n${await k.ok('-n', ns, 'get', 'pods', '-o', 'wide')}`;
    expect(drained.code, `${drained.stderr}\n${drained.code === 0 ? '' : await state()}`).toBe(0);
    const output = drained.stdout + drained.stderr;
    expect(output).toContain(`node/${node} cordoned`);
    expect(output).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(output).toContain(`node/${node} drained`);

    await until(async () => {
      const pods = await podsOf(ns, 'web');
      expect(pods).toHaveLength(6);
      expect(pods.filter((p) => p.spec.nodeName === node)).toEqual([]);
      expect(pods.every(isReady)).toBe(true);
    }, 60_000);
    const unschedulable = await k.json<{ spec: { unschedulable?: boolean } }>('get', 'node', node);
    expect(unschedulable.spec.unschedulable).toBe(true);
    await k.ok('uncordon', node);
  }, 200_000);

  it('a node that stops heartbeating goes Unknown, is tainted, and its pods move after tolerationSeconds', async () => {
    const ns = 'notready-e2e';
    await k.ok('create', 'namespace', ns);
    await k.okWith(deployment(ns, 'api', 3, 5), 'apply', '-f', '-');
    await k.ok('-n', ns, 'rollout', 'status', 'deployment/api', '--timeout=60s');
    const node = busiestNode(await podsOf(ns, 'api'));
    await k.ok('annotate', 'node', node, 'sim.wharf.dev/state=NotReady', '--overwrite');
    try {
      const unhealthy = await until(async () => {
        const n = await k.json<{
          spec: { taints?: { key: string; effect: string }[] };
          status: { conditions: { type: string; status: string; reason?: string }[] };
        }>('get', 'node', node);
        expect(n.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
        });
        expect(n.spec.taints).toContainEqual(
          expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }),
        );
        return n;
      }, 60_000);
      expect(unhealthy.spec.taints).toContainEqual(
        expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }),
      );
      expect(await k.ok('get', 'node', node)).toMatch(new RegExp(`^${node}\\s+NotReady`, 'm'));

      await until(async () => {
        const pods = await podsOf(ns, 'api');
        const elsewhere = pods.filter((p) => p.spec.nodeName !== node && isReady(p));
        const seen = pods.map((p) => `${p.metadata.name}@${p.spec.nodeName ?? '-'}:${isReady(p)}`).join(' ');
        expect(elsewhere, `pods (name@node:ready): ${seen}; bad node ${node}`).toHaveLength(3);
      }, 90_000);
      const events = await k.ok('-n', ns, 'get', 'events', '--field-selector', 'reason=TaintManagerEviction');
      expect(events).toContain('Marking for deletion Pod');
    } finally {
      await k.ok('annotate', 'node', node, 'sim.wharf.dev/state=Ready', '--overwrite');
    }
    await until(async () => {
      expect(await k.ok('get', 'node', node)).toMatch(new RegExp(`^${node}\\s+Ready`, 'm'));
    }, 60_000);
  }, 240_000);
});
