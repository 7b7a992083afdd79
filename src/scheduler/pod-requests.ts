/**
 * What a pod asks of a node, computed as the scheduler does (NodeResourcesFit's computePodResourceRequest):
 *
 *   request = max(sum(regular containers) + sum(restartable init "sidecars"),
 *                 max over plain init containers i of (request(i) + sidecars started before i))
 *             + pod overhead
 *
 * Worked example: containers 100m + 200m, one init container 500m, no sidecars → max(300m, 500m) = 500m.
 * CPU is in millicores, everything else in integer base units.
 */
import { toInteger, toMilli } from '../quantity.ts';
import type { ContainerSpec, PodSpec, ResourceList } from './types.ts';

export type Requests = Map<string, number>;

function amount(resource: string, value: string | number): number {
  return resource === 'cpu' ? toMilli(value) : toInteger(value);
}

export function toRequests(list: ResourceList | undefined): Requests {
  const out: Requests = new Map();
  for (const [name, value] of Object.entries(list ?? {})) out.set(name, amount(name, value));
  return out;
}

/** Requests, falling back to limits as API defaulting would (requests default to limits). */
function containerRequests(c: ContainerSpec): Requests {
  const r = toRequests(c.resources?.limits);
  for (const [k, v] of toRequests(c.resources?.requests)) r.set(k, v);
  return r;
}

function addInto(target: Requests, source: Requests): void {
  for (const [k, v] of source) target.set(k, (target.get(k) ?? 0) + v);
}

function maxInto(target: Requests, source: Requests): void {
  for (const [k, v] of source) if (v > (target.get(k) ?? 0)) target.set(k, v);
}

export function podRequests(spec: PodSpec): Requests {
  const total: Requests = new Map();
  for (const c of spec.containers ?? []) addInto(total, containerRequests(c));
  const sidecars: Requests = new Map();
  const initPeak: Requests = new Map();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      continue;
    }
    const during = new Map(sidecars);
    addInto(during, r);
    maxInto(initPeak, during);
  }
  addInto(total, sidecars);
  maxInto(total, initPeak);
  addInto(total, toRequests(spec.overhead));
  return total;
}

/** Scoring assumes 100m CPU and 200Mi memory for containers that request nothing (non-zero requests). */
export const defaultMilliCpuRequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function nonZeroRequests(spec: PodSpec): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of spec.containers ?? []) {
    const r = containerRequests(c);
    cpu += r.get('cpu') ?? defaultMilliCpuRequest;
    memory += r.get('memory') ?? defaultMemoryRequest;
  }
  return { cpu, memory };
}
