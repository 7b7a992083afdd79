/**
 * What the simulated containers and nodes "use", for metrics.k8s.io (kubectl top). Pure functions of
 * the API objects and the time, so any process that can read Pods and Nodes (the API server, or
 * `wharf nodes` against another cluster) computes the same numbers without asking the kubelets.
 *
 * Worked example: a container requesting 200m CPU and 128Mi, limited to 250m, drifts between 60% and
 * 100% of its request over a 10-minute period (120m–200m CPU) and uses 70%–90% of its memory request
 * (90Mi–115Mi); the CPU limit caps it at 250m. Without requests it idles around 2m CPU and 12Mi.
 */
import { parseQuantity } from '../quantity.ts';
import type { Node, Pod } from './api-types.ts';

export interface Usage {
  /** CPU in nanocores, as metrics-server reports it (`123456n`). */
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface ContainerUsage extends Usage {
  name: string;
}

/** metrics-server's default resolution: one sample per 15 s, reported with that window. */
export const sampleWindowMs = 15_000;
const periodMs = 10 * 60_000;
const idle: Usage = { cpuNanoCores: 2e6, memoryBytes: 12 * 2 ** 20 };
/** The node's own daemons (kubelet, runtime, system): about what an idle kubeadm worker shows. */
const systemOverhead: Usage = { cpuNanoCores: 60e6, memoryBytes: 640 * 2 ** 20 };

/** The start of the sample `now` falls in: every reader in that window sees the same numbers. */
export function sampleTime(now: number): number {
  return Math.floor(now / sampleWindowMs) * sampleWindowMs;
}

/** A stable phase in [0, 1) per container, so pods do not all rise and fall together (FNV-1a). */
function phaseOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash / 2 ** 32;
}

const wave = (key: string, at: number) => Math.sin(2 * Math.PI * (at / periodMs + phaseOf(key)));

function quantity(list: Record<string, string> | undefined, name: string): number | undefined {
  const value = list?.[name];
  if (value === undefined) return undefined;
  try {
    return parseQuantity(value);
  } catch {
    return undefined;
  }
}

function bounded(value: number, limit: number | undefined): number {
  return Math.round(limit === undefined ? value : Math.min(value, limit));
}

/** Usage of each running container of a pod at `now`; an empty list when none is running. */
export function podUsage(pod: Readonly<Pod>, now: number): ContainerUsage[] {
  const at = sampleTime(now);
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name));
  return (pod.spec?.containers ?? [])
    .filter((c) => running.has(c.name))
    .map((c) => {
      const key = `${pod.metadata.uid ?? pod.metadata.name}/${c.name}`;
      const requestCpu = quantity(c.resources?.requests, 'cpu');
      const requestMemory = quantity(c.resources?.requests, 'memory');
      const cpu = requestCpu === undefined ? idle.cpuNanoCores : requestCpu * 1e9 * (0.8 + 0.2 * wave(key, at));
      const memory =
        requestMemory === undefined ? idle.memoryBytes : requestMemory * (0.8 + 0.1 * wave(`${key}/memory`, at));
      return {
        name: c.name,
        cpuNanoCores: bounded(
          cpu,
          mapDefined(quantity(c.resources?.limits, 'cpu'), (v) => v * 1e9),
        ),
        memoryBytes: bounded(memory, quantity(c.resources?.limits, 'memory')),
      };
    });
}

function mapDefined(value: number | undefined, f: (v: number) => number): number | undefined {
  return value === undefined ? undefined : f(value);
}

/** A node's usage: its running pods plus the system's own, never above its capacity. */
export function nodeUsage(node: Readonly<Node>, pods: readonly Readonly<Pod>[], now: number): Usage {
  const total = { ...systemOverhead };
  for (const pod of pods) {
    for (const c of podUsage(pod, now)) {
      total.cpuNanoCores += c.cpuNanoCores;
      total.memoryBytes += c.memoryBytes;
    }
  }
  const capacity = node.status?.capacity;
  return {
    cpuNanoCores: bounded(
      total.cpuNanoCores,
      mapDefined(quantity(capacity, 'cpu'), (v) => v * 1e9),
    ),
    memoryBytes: bounded(total.memoryBytes, quantity(capacity, 'memory')),
  };
}
