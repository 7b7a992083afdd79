/**
 * The scheduler through real kubectl against `wharf up` (3 simulated nodes in zone-a, zone-b, zone-c):
 * spreading by anti-affinity and topology spread, taints and tolerations, an oversized pod's
 * FailedScheduling message in describe, preemption by priority, and cordoned nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf();
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const version = '1.35';
const k = (args: string[], input?: string) =>
  kubectl(version, args, { kubeconfig: wharf.kubeconfig, ...(input !== undefined ? { input } : {}) });
async function ok(args: string[], input?: string): Promise<string> {
  const result = await k(args, input);
  expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}
const apply = (objects: unknown[]) =>
  ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface PodRow {
  name: string;
  node: string;
  phase: string;
}
async function pods(ns: string, selector?: string): Promise<PodRow[]> {
  const args = ['-n', ns, 'get', 'pods', '-o', 'json', ...(selector ? ['-l', selector] : [])];
  const list = JSON.parse(await ok(args)) as {
    items: { metadata: { name: string }; spec: { nodeName?: string }; status: { phase?: string } }[];
  };
  return list.items.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName ?? '', phase: p.status.phase ?? '' }));
}

function pod(ns: string, name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

async function zonesOf(nodes: string[]): Promise<string[]> {
  const list = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])) as {
    items: { metadata: { name: string; labels: Record<string, string> } }[];
  };
  const zone = new Map(list.items.map((n) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone']]));
  return nodes.map((n) => zone.get(n) ?? '');
}

describe(`scheduling through kubectl ${version}`, () => {
  it('spreads replicas over the three zones with required anti-affinity', async () => {
    await ok(['create', 'namespace', 'anti']);
    const affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'topology.kubernetes.io/zone' },
        ],
      },
    };
    await apply([0, 1, 2].map((i) => pod('anti', `web-${i}`, { affinity }, { app: 'web' })));
    const placed = await until(
      () => pods('anti'),
      (p) => p.every((x) => x.node),
      'three bound pods',
    );
    expect(new Set(await zonesOf(placed.map((p) => p.node))).size).toBe(3);
  });

  it('spreads by topologySpreadConstraints', async () => {
    await ok(['create', 'namespace', 'spread']);
    const spread = {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'spread' } },
        },
      ],
    };
    await apply([0, 1, 2, 3, 4, 5].map((i) => pod('spread', `s-${i}`, spread, { app: 'spread' })));
    const placed = await until(
      () => pods('spread'),
      (p) => p.length === 6 && p.every((x) => x.node),
      'six pods',
    );
    const counts = new Map<string, number>();
    for (const z of await zonesOf(placed.map((p) => p.node))) counts.set(z, (counts.get(z) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2]);
  });

  it('keeps pods off tainted nodes unless they tolerate the taint', async () => {
    await ok(['create', 'namespace', 'taints']);
    await ok(['taint', 'nodes', 'node-1', 'dedicated=gpu:NoSchedule']);
    try {
      const toleration = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];
      await apply([
        pod('taints', 'plain', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } }),
        pod('taints', 'tolerant', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, tolerations: toleration }),
      ]);
      const rows = await until(
        () => pods('taints'),
        (p) => p.find((x) => x.name === 'tolerant')?.node === 'node-1',
        'the tolerant pod on node-1',
      );
      expect(rows.find((x) => x.name === 'plain')?.node).toBe('');
      const described = await until(
        () => ok(['-n', 'taints', 'describe', 'pod', 'plain']),
        (text) => text.includes('FailedScheduling'),
        'a FailedScheduling event',
      );
      expect(described).toContain(
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector.",
      );
    } finally {
      await ok(['taint', 'nodes', 'node-1', 'dedicated-']);
    }
  });

  it('leaves an oversized pod Pending with the aggregated FailedScheduling message', async () => {
    await ok(['create', 'namespace', 'big']);
    await apply([
      pod('big', 'huge', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '64' } } }] }),
    ]);
    const described = await until(
      () => ok(['-n', 'big', 'describe', 'pod', 'huge']),
      (text) => text.includes('FailedScheduling'),
      'a FailedScheduling event',
    );
    expect(described).toContain(
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
    const status = JSON.parse(await ok(['-n', 'big', 'get', 'pod', 'huge', '-o', 'json'])) as {
      status: { phase: string; conditions: { type: string; status: string; reason: string }[] };
    };
    expect(status.status.phase).toBe('Pending');
    expect(status.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }),
    );
  });

  it('lets a high-priority pod preempt a low-priority one', async () => {
    await ok(['create', 'namespace', 'prio']);
    await apply([
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'e2e-low' }, value: 10 },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'e2e-high' }, value: 1000 },
    ]);
    const filler = (name: string, className: string) =>
      pod('prio', name, {
        priorityClassName: className,
        nodeSelector: { 'kubernetes.io/hostname': 'node-2' },
        containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '3' } } }],
      });
    await apply([filler('low', 'e2e-low')]);
    await until(
      () => pods('prio'),
      (p) => p.some((x) => x.name === 'low' && x.phase === 'Running'),
      'low running',
    );
    await apply([filler('high', 'e2e-high')]);
    const rows = await until(
      () => pods('prio'),
      (p) => p.some((x) => x.name === 'high' && x.node === 'node-2') && !p.some((x) => x.name === 'low'),
      'high bound to node-2 and low gone',
      90_000,
    );
    expect(rows.map((r) => r.name)).toEqual(['high']);
    const events = await ok(['-n', 'prio', 'get', 'events', '--field-selector', 'involvedObject.name=low']);
    expect(events).toContain('Preempted');
  }, 150_000);

  it('gives cordoned nodes no new pods', async () => {
    await ok(['create', 'namespace', 'cordon']);
    await ok(['cordon', 'node-3']);
    try {
      const nodes = await ok(['get', 'node', 'node-3']);
      expect(nodes).toContain('Ready,SchedulingDisabled');
      await apply([0, 1, 2, 3, 4, 5].map((i) => pod('cordon', `c-${i}`)));
      const placed = await until(
        () => pods('cordon'),
        (p) => p.length === 6 && p.every((x) => x.node),
        'six pods',
      );
      expect(placed.filter((p) => p.node === 'node-3')).toEqual([]);
    } finally {
      await ok(['uncordon', 'node-3']);
    }
  });
});
