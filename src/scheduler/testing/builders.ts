/** Small builders for scheduler tests: pod({ cpu: '500m' }), node({ name: 'n1', cpu: '2' }). */
import type { Snapshot } from '../framework.ts';
import { addPod, type NodeInfo, newNodeInfo, toPodInfo } from '../node-info.ts';
import { PodIndex } from '../pod-index.ts';
import type { Node, Pod, PodSpec, Taint } from '../types.ts';

let counter = 0;

export function pod(
  o: Partial<PodSpec> & {
    name?: string;
    namespace?: string;
    cpu?: string;
    memory?: string;
    labels?: Record<string, string>;
  } = {},
): Pod {
  counter++;
  const { name, namespace, cpu, memory, labels, ...spec } = o;
  const requests: Record<string, string> = {};
  if (cpu) requests.cpu = cpu;
  if (memory) requests.memory = memory;
  return {
    metadata: {
      name: name ?? `pod-${counter}`,
      namespace: namespace ?? 'default',
      uid: `uid-${counter}`,
      labels: labels ?? {},
    },
    spec: { containers: [{ name: 'c', resources: { requests } }], ...spec },
  };
}

export function node(
  o: {
    name?: string;
    cpu?: string;
    memory?: string;
    pods?: string;
    labels?: Record<string, string>;
    taints?: Taint[];
    unschedulable?: boolean;
    extra?: Record<string, string>;
  } = {},
): Node {
  counter++;
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '16Gi', pods: o.pods ?? '110', ...o.extra };
  const n: Node = {
    metadata: { name: o.name ?? `node-${counter}`, labels: o.labels ?? {} },
    spec: {},
    status: { allocatable, capacity: allocatable },
  };
  if (o.taints) (n.spec as NonNullable<Node['spec']>).taints = o.taints;
  if (o.unschedulable) (n.spec as NonNullable<Node['spec']>).unschedulable = true;
  return n;
}

/** A snapshot of nodes with pods already placed: `snapshot([n1, n2], { n1: [p1] })`. */
export function snapshot(
  nodes: Node[],
  placed: Record<string, Pod[]> = {},
  namespaces: Record<string, Record<string, string>> = {},
): Snapshot & { infos: NodeInfo[] } {
  const infos = nodes.map(newNodeInfo);
  const byName = new Map(infos.map((i) => [i.name, i]));
  const index = new PodIndex(() => infos);
  for (const [nodeName, pods] of Object.entries(placed)) {
    const info = byName.get(nodeName);
    if (!info) throw new Error(`no node ${nodeName}`);
    for (const p of pods) {
      const placedPod = { ...p, spec: { ...p.spec, nodeName } };
      addPod(info, toPodInfo(placedPod));
      index.added(nodeName, placedPod);
    }
  }
  return {
    infos,
    nodes: infos,
    pods: index,
    get: (n) => byName.get(n),
    namespaceLabels: (ns) => namespaces[ns] ?? { 'kubernetes.io/metadata.name': ns },
  };
}
