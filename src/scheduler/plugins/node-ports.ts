import { type FilterPlugin, type PreFilterPlugin, skip, success, unschedulable } from '../framework.ts';
import type { Pod } from '../types.ts';

export const name = 'NodePorts';
const taken = "node(s) didn't have free ports for the requested pod ports";
const stateKey = `${name}/preFilter`;

interface WantedPort {
  protocol: string;
  hostIP: string;
  port: number;
}

function wantedPorts(pod: Pod): WantedPort[] {
  const out: WantedPort[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  }
  return out;
}

/** A hostPort is taken when another pod on the node uses it on the same protocol and an overlapping IP. */
export function create(): PreFilterPlugin & FilterPlugin {
  return {
    name,
    judgesNodeAlone: true,
    preFilter(context, pod) {
      const wanted = wantedPorts(pod);
      context.state.set(stateKey, wanted);
      return wanted.length === 0 ? skip : success;
    },
    filter(context, pod, node) {
      const wanted = (context.state.get(stateKey) as WantedPort[] | undefined) ?? wantedPorts(pod);
      for (const w of wanted) {
        for (const used of node.usedPorts.keys()) {
          const [protocol, ip, port] = used.split('/');
          if (protocol !== w.protocol || Number(port) !== w.port) continue;
          if (ip === '0.0.0.0' || w.hostIP === '0.0.0.0' || ip === w.hostIP) return unschedulable(taken);
        }
      }
      return success;
    },
  };
}
