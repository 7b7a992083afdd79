/**
 * Container ports repeated across a pod's containers (same containerPort and protocol): identical
 * host bindings are duplicates, an unset hostPort overlaps any other, and the same hostPort with the
 * host IP set on only one side is ambiguous. kube warns on each rather than rejecting old manifests.
 */
import { type ContainerAt, containerPath, type Obj } from './pod-templates.ts';

interface Seen {
  container: ContainerAt;
  index: number;
  hostIP: string;
  hostPort: number;
}

const pathOf = (specPath: string, s: Seen) => `${containerPath(specPath, s.container)}.ports[${s.index}]`;

/** Pushes to `out`. */
export function duplicatePortWarnings(containers: ContainerAt[], specPath: string, out: string[]): void {
  let count = 0;
  for (const c of containers) count += Array.isArray(c.container.ports) ? c.container.ports.length : 0;
  if (count < 2) return;
  const byPort = new Map<string, Seen[]>();
  for (const container of containers) {
    const ports = container.container.ports;
    if (!Array.isArray(ports)) continue;
    ports.forEach((port: Obj | null, index) => {
      const here: Seen = {
        container,
        index,
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
        if (problem) out.push(`${pathOf(specPath, here)}: ${problem} port definition with ${pathOf(specPath, other)}`);
      }
      others.push(here);
    });
  }
}

function portProblem(a: Seen, b: Seen): string | undefined {
  if (a.hostIP === b.hostIP && a.hostPort === b.hostPort) return 'duplicate';
  if (a.hostPort === 0 || b.hostPort === 0) return 'overlapping';
  if (a.hostPort === b.hostPort && (a.hostIP === '') !== (b.hostIP === '')) return 'dangerously ambiguous';
  return undefined;
}
