/**
 * Host-port admission: a pod asking for a host port another running pod on the node holds is
 * rejected by the kubelet (lifecycle/predicate.go generalFilter → NodePorts), phase Failed.
 * 0.0.0.0 (the default) clashes with every address; protocol defaults to TCP.
 */
import type { Pod } from '../api-types.ts';

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export const hostPortRejection = {
  reason: 'NodePorts',
  message: "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
} as const;

export function hostPortsOf(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of container.ports ?? []) {
      if (!p.hostPort) continue;
      ports.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return ports;
}

const clashes = (a: HostPort, b: HostPort) =>
  a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');

/** True when `pod` wants a host port one of `admitted` already holds. */
export function hasHostPortConflict(pod: Pod, admitted: readonly Pod[]): boolean {
  const wanted = hostPortsOf(pod);
  if (wanted.length === 0) return false;
  return admitted.some((other) => hostPortsOf(other).some((held) => wanted.some((w) => clashes(w, held))));
}
