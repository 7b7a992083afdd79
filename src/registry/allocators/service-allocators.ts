/**
 * Cluster IPs (10.96.0.0/12) and node ports (30000–32767) for Services: no duplicates, released on
 * delete, rebuilt from stored Services at start. 10.96.0.1 is the `kubernetes` Service's, so the
 * allocator never hands it out unless asked for it by name.
 */
import type { KubeObject } from '../../types/meta.ts';
import { arrayField, objectField } from '../strategies/shared.ts';
import {
  allocationFailed,
  createRangeAllocator,
  ipToNumber,
  numberToIp,
  type RangeAllocator,
} from './range-allocator.ts';

export const serviceCIDR = { first: '10.96.0.0', last: '10.111.255.255' };
export const kubernetesServiceIP = '10.96.0.1';
export const nodePortRange = { first: 30000, last: 32767 };

export interface ServiceAllocators {
  /** Fills spec.clusterIP(s) and node ports; throws 422 when a requested value is taken. */
  allocate(service: KubeObject, old?: KubeObject): void;
  /** Gives back what `service` holds and `keep` (its replacement) does not. */
  release(service: KubeObject, keep?: KubeObject): void;
  /** Marks a stored service's values as taken (start-up rebuild). */
  restore(service: KubeObject): void;
}

type Spec = Record<string, unknown>;

const needsNodePorts = (spec: Spec) => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const hasClusterIP = (spec: Spec) => spec.type !== 'ExternalName' && spec.clusterIP !== 'None';

function heldValues(service: KubeObject): { ip?: number; ports: number[] } {
  const spec = (service.spec ?? {}) as Spec;
  const ip = typeof spec.clusterIP === 'string' ? ipToNumber(spec.clusterIP) : undefined;
  const ports = arrayField(spec, 'ports')
    .map((p) => p.nodePort)
    .filter((p): p is number => typeof p === 'number');
  return ip === undefined ? { ports } : { ip, ports };
}

export function createServiceAllocators(random: () => number = Math.random): ServiceAllocators {
  const first = ipToNumber(serviceCIDR.first) as number;
  const last = ipToNumber(serviceCIDR.last) as number;
  // Network address and broadcast are not usable; the kubernetes IP is reserved up front.
  const ips: RangeAllocator = createRangeAllocator(first + 1, last - 1, random);
  const reserved = ipToNumber(kubernetesServiceIP) as number;
  ips.allocate(reserved);
  const ports = createRangeAllocator(nodePortRange.first, nodePortRange.last, random);

  function allocate(service: KubeObject, old?: KubeObject): void {
    const name = service.metadata.name ?? '';
    const spec = objectField(service, 'spec');
    const oldSpec = (old?.spec ?? {}) as Spec;
    const before = old ? heldValues(old) : { ports: [] };
    // Values taken by this call, given back if a later one fails so that a refused write leaks nothing.
    const takenIPs: number[] = [];
    const takenPorts: number[] = [];
    try {
      if (hasClusterIP(spec) && !(spec.clusterIP && spec.clusterIP === oldSpec.clusterIP)) {
        spec.clusterIP = numberToIp(allocateIP(name, spec, service.metadata.namespace, takenIPs));
        spec.clusterIPs = [spec.clusterIP];
      } else if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
      if (needsNodePorts(spec)) {
        arrayField(spec, 'ports').forEach((port, i) => {
          if (typeof port.nodePort === 'number' && before.ports.includes(port.nodePort)) return;
          port.nodePort = allocatePort(name, port.nodePort, `spec.ports[${i}].nodePort`, takenPorts);
        });
      }
    } catch (err) {
      for (const ip of takenIPs) ips.release(ip);
      for (const p of takenPorts) ports.release(p);
      throw err;
    }
  }

  function allocateIP(name: string, spec: Spec, namespace: string | undefined, taken: number[]): number {
    if (typeof spec.clusterIP !== 'string' || spec.clusterIP === '') {
      const next = ips.allocateNext();
      if (next === undefined) throw allocationFailed(name, 'spec.clusterIPs', [], 'range is full');
      taken.push(next);
      return next;
    }
    const wanted = ipToNumber(spec.clusterIP);
    if (wanted === undefined || !ips.contains(wanted)) {
      throw allocationFailed(
        name,
        'spec.clusterIPs',
        [spec.clusterIP],
        'provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
      );
    }
    // The reserved address goes only to the kubernetes Service itself.
    if (wanted === reserved && name === 'kubernetes' && namespace === 'default') return wanted;
    if (!ips.allocate(wanted)) {
      throw allocationFailed(
        name,
        'spec.clusterIPs',
        [spec.clusterIP],
        `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
      );
    }
    taken.push(wanted);
    return wanted;
  }

  function allocatePort(name: string, requested: unknown, field: string, taken: number[]): number {
    if (typeof requested === 'number' && requested !== 0) {
      if (!ports.allocate(requested)) {
        const detail = ports.contains(requested)
          ? 'provided port is already allocated'
          : 'provided port is not in the valid range. The range of valid ports is 30000-32767';
        throw allocationFailed(name, field, requested, detail);
      }
      taken.push(requested);
      return requested;
    }
    const next = ports.allocateNext();
    if (next === undefined) throw allocationFailed(name, field, 0, 'range is full');
    taken.push(next);
    return next;
  }

  function release(service: KubeObject, keep?: KubeObject): void {
    const held = heldValues(service);
    const kept = keep ? heldValues(keep) : { ports: [] };
    if (held.ip !== undefined && held.ip !== kept.ip && held.ip !== reserved) ips.release(held.ip);
    for (const p of held.ports) if (!kept.ports.includes(p)) ports.release(p);
  }

  return {
    allocate,
    release,
    restore(service) {
      const held = heldValues(service);
      if (held.ip !== undefined) ips.allocate(held.ip);
      for (const p of held.ports) ports.allocate(p);
    },
  };
}
