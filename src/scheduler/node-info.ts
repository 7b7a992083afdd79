/**
 * NodeInfo: one node with the pods assigned to it and what they use, kept incrementally from informer
 * events so a scheduling decision costs O(nodes), never O(all pods).
 */
import { nonZeroRequests, podRequests, type Requests, toRequests } from './pod-requests.ts';
import type { Node, Pod, Taint } from './types.ts';

export interface PodInfo {
  pod: Pod;
  requests: Requests;
  nonZero: { cpu: number; memory: number };
  /** `protocol/hostIP/port` for every hostPort, for NodePorts. */
  hostPorts: string[];
  /** Read off the pod once: adding and removing pods on trial nodes is preemption's inner loop. */
  key: string;
  priority: number;
  /** The cpu (millicores) and memory requests of `requests` as plain numbers. */
  cpu: number;
  memory: number;
  requiredAntiAffinity: boolean;
  /** Has a deletionTimestamp (a PodInfo is made anew when the pod changes). */
  terminating: boolean;
  /** status.startTime, or '~' (after every timestamp) for a pod not started: it counts as starting now. */
  startTime: string;
}

export interface NodeInfo {
  name: string;
  node: Node;
  /** The node's labels, taints and cordon flag, read off `node` once per node update (filters read them on every cycle). */
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  unschedulable: boolean;
  allocatable: Requests;
  pods: Map<string, PodInfo>;
  /** Sum of pod requests by resource; 'pods' counts pods. */
  requested: Requests;
  /**
   * cpu (millicores), memory and the pod count of `allocatable` and `requested` again as plain fields:
   * filters and scores read them on hundreds of nodes per cycle, where a Map lookup each is the main cost.
   */
  allocatableCpu: number;
  allocatableMemory: number;
  allocatablePods: number;
  requestedCpu: number;
  requestedMemory: number;
  requestedPods: number;
  nonZeroRequested: { cpu: number; memory: number };
  usedPorts: Map<string, number>;
  /** Pods with required anti-affinity terms live here too, for the existing-pods check. */
  podsWithRequiredAntiAffinity: number;
  /**
   * The lowest priority among pods not terminating (Infinity if none): preemption passes over a node
   * without anything to evict at a glance, which late in a burst is most of the cluster.
   */
  lowestPriority: number;
  /** Bumped by every change (node or pods), so views derived from this node know when they are stale. */
  generation: number;
  /**
   * Pods preemption nominated to this node that are not bound yet (their room stays reserved). Kept by
   * the scheduler; replaced, never mutated, when they change, so the array identity marks a change.
   */
  nominated: readonly PodInfo[];
}

export function podKey(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function toPodInfo(pod: Pod): PodInfo {
  const hostPorts: string[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) hostPorts.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`);
    }
  }
  const requests = podRequests(pod.spec);
  return {
    pod,
    requests,
    cpu: requests.get('cpu') ?? 0,
    memory: requests.get('memory') ?? 0,
    nonZero: nonZeroRequests(pod.spec),
    hostPorts,
    key: podKey(pod),
    priority: pod.spec.priority ?? 0,
    requiredAntiAffinity: hasRequiredAntiAffinity(pod),
    terminating: Boolean(pod.metadata.deletionTimestamp),
    startTime: pod.status?.startTime ?? '~',
  };
}

const noLabels: Readonly<Record<string, string>> = Object.freeze({});
const noTaints: readonly Taint[] = Object.freeze([]);
export const noPodInfos: readonly PodInfo[] = Object.freeze([]);

export function newNodeInfo(node: Node): NodeInfo {
  const allocatable = toRequests(node.status?.allocatable);
  return {
    name: node.metadata.name ?? '',
    node,
    labels: node.metadata.labels ?? noLabels,
    taints: node.spec?.taints ?? noTaints,
    unschedulable: node.spec?.unschedulable === true,
    allocatable,
    pods: new Map(),
    requested: new Map(),
    allocatableCpu: allocatable.get('cpu') ?? 0,
    allocatableMemory: allocatable.get('memory') ?? 0,
    allocatablePods: allocatable.get('pods') ?? 0,
    requestedCpu: 0,
    requestedMemory: 0,
    requestedPods: 0,
    nonZeroRequested: { cpu: 0, memory: 0 },
    usedPorts: new Map(),
    podsWithRequiredAntiAffinity: 0,
    lowestPriority: Number.POSITIVE_INFINITY,
    generation: 0,
    nominated: noPodInfos,
  };
}

/** The same node with no pods yet (trial copies for preemption and nominated pods; no quantity re-parsing). */
export function emptyCopy(info: NodeInfo): NodeInfo {
  return {
    ...info,
    pods: new Map(),
    requested: new Map(),
    requestedCpu: 0,
    requestedMemory: 0,
    requestedPods: 0,
    nonZeroRequested: { cpu: 0, memory: 0 },
    usedPorts: new Map(),
    podsWithRequiredAntiAffinity: 0,
    lowestPriority: Number.POSITIVE_INFINITY,
    nominated: noPodInfos,
  };
}

export function setNode(info: NodeInfo, node: Node): void {
  info.node = node;
  info.labels = node.metadata.labels ?? noLabels;
  info.taints = node.spec?.taints ?? noTaints;
  info.unschedulable = node.spec?.unschedulable === true;
  info.allocatable = toRequests(node.status?.allocatable);
  info.allocatableCpu = info.allocatable.get('cpu') ?? 0;
  info.allocatableMemory = info.allocatable.get('memory') ?? 0;
  info.allocatablePods = info.allocatable.get('pods') ?? 0;
  info.generation++;
}

/** Nominations change what filters see on the node, so they move its generation as pods do. */
export function setNominated(info: NodeInfo, nominated: readonly PodInfo[]): void {
  info.nominated = nominated;
  info.generation++;
}

function hasRequiredAntiAffinity(pod: Pod): boolean {
  return (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

export function addPod(info: NodeInfo, podInfo: PodInfo): void {
  const key = podInfo.key;
  if (info.pods.has(key)) removePod(info, key);
  info.generation++;
  info.pods.set(key, podInfo);
  for (const [k, v] of podInfo.requests) info.requested.set(k, (info.requested.get(k) ?? 0) + v);
  info.requested.set('pods', (info.requested.get('pods') ?? 0) + 1);
  info.requestedCpu += podInfo.cpu;
  info.requestedMemory += podInfo.memory;
  info.requestedPods++;
  info.nonZeroRequested.cpu += podInfo.nonZero.cpu;
  info.nonZeroRequested.memory += podInfo.nonZero.memory;
  for (const p of podInfo.hostPorts) info.usedPorts.set(p, (info.usedPorts.get(p) ?? 0) + 1);
  if (podInfo.requiredAntiAffinity) info.podsWithRequiredAntiAffinity++;
  if (!podInfo.terminating && podInfo.priority < info.lowestPriority) info.lowestPriority = podInfo.priority;
}

export function removePod(info: NodeInfo, key: string): void {
  const podInfo = info.pods.get(key);
  if (!podInfo) return;
  info.generation++;
  info.pods.delete(key);
  for (const [k, v] of podInfo.requests) info.requested.set(k, (info.requested.get(k) ?? 0) - v);
  info.requested.set('pods', (info.requested.get('pods') ?? 0) - 1);
  info.requestedCpu -= podInfo.cpu;
  info.requestedMemory -= podInfo.memory;
  info.requestedPods--;
  info.nonZeroRequested.cpu -= podInfo.nonZero.cpu;
  info.nonZeroRequested.memory -= podInfo.nonZero.memory;
  for (const p of podInfo.hostPorts) {
    const n = (info.usedPorts.get(p) ?? 0) - 1;
    if (n <= 0) info.usedPorts.delete(p);
    else info.usedPorts.set(p, n);
  }
  if (podInfo.requiredAntiAffinity) info.podsWithRequiredAntiAffinity--;
  if (!podInfo.terminating && podInfo.priority === info.lowestPriority) {
    info.lowestPriority = Number.POSITIVE_INFINITY;
    for (const p of info.pods.values()) {
      if (!p.terminating && p.priority < info.lowestPriority) info.lowestPriority = p.priority;
    }
  }
}
