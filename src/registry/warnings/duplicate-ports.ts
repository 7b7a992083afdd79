/**
 * Container ports repeated across a pod's containers (same containerPort and protocol): identical
 * host bindings are duplicates, an unset hostPort overlaps any other, and the same hostPort with the
 * host IP set on only one side is ambiguous. kube warns on each rather than rejecting old manifests.
 */
import type { Obj } from './pod-templates.ts';

interface Seen {
  path: string;
  hostIP: string;
  hostPort: number;
}

export function duplicatePortWarnings(containers: { path: string; container: Obj }[], specPath: string): string[] {
  const out: string[] = [];
  const byPort = new Map<string, Seen[]>();
  for (const { path, container } of containers) {
    const ports = container.ports;
    if (!Array.isArray(ports)) continue;
    ports.forEach((port: Obj | null, i) => {
      const here: Seen = {
        path: `${specPath}.${path}.ports[${i}]`,
        hostIP: typeof port?.hostIP === 'string' ? port.hostIP : '',
        hostPort: typeof port?.hostPort === 'number' ? port.hostPort : 0,
      };
      const key = `${String(port?.containerPort)}/${String(port?.protocol ?? 'TCP')}`;
      const others = byPort.get(key);
      if (!others) {
        byPort.set(key, [here]);
        return;
      }
      for (const other of others) {
        const problem = portProblem(here, other);
        if (problem) out.push(`${here.path}: ${problem} port definition with ${other.path}`);
      }
      others.push(here);
    });
  }
  return out;
}

function portProblem(a: Seen, b: Seen): string | undefined {
  if (a.hostIP === b.hostIP && a.hostPort === b.hostPort) return 'duplicate';
  if (a.hostPort === 0 || b.hostPort === 0) return 'overlapping';
  if (a.hostPort === b.hostPort && (a.hostIP === '') !== (b.hostIP === '')) return 'dangerously ambiguous';
  return undefined;
}
