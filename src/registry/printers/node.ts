import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { optionalBoolean, record, records, stringMap, text } from './fields.ts';

const rolePrefix = 'node-role.kubernetes.io/';
const legacyRoleLabel = 'kubernetes.io/role';

/** `kubectl get nodes`: NAME STATUS ROLES AGE VERSION, wide addresses and system info. */
export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Readiness of the node, plus SchedulingDisabled when cordoned.'),
    column('Roles', 'string', 'Roles taken from node-role.kubernetes.io/<role> labels.'),
    ageColumn,
    column('Version', 'string', 'The kubelet version the node reports.'),
    wide('Internal-IP', 'string', 'The first InternalIP address of the node.'),
    wide('External-IP', 'string', 'The first ExternalIP address of the node.'),
    wide('OS-Image', 'string', 'The operating system image the node reports.'),
    wide('Kernel-Version', 'string', 'The kernel version the node reports.'),
    wide('Container-Runtime', 'string', 'The container runtime and its version.'),
  ],
  row(node, now) {
    const nodeInfo = record(node, 'status', 'nodeInfo');
    return [
      text(node, 'metadata', 'name'),
      nodeStatus(node),
      nodeRoles(stringMap(node, 'metadata', 'labels')),
      age(node, now),
      text(nodeInfo, 'kubeletVersion'),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      text(nodeInfo, 'osImage') || '<unknown>',
      text(nodeInfo, 'kernelVersion') || '<unknown>',
      text(nodeInfo, 'containerRuntimeVersion') || '<unknown>',
    ];
  },
};

/** `Ready`, `NotReady` (condition False or Unknown), `Unknown` (no Ready condition), plus `,SchedulingDisabled`. */
function nodeStatus(node: unknown): string {
  // The last Ready condition wins, as kube builds a map keyed by type.
  const ready = records(node, 'status', 'conditions')
    .filter((c) => text(c, 'type') === 'Ready')
    .at(-1);
  const parts = [ready === undefined ? 'Unknown' : text(ready, 'status') === 'True' ? 'Ready' : 'NotReady'];
  if (optionalBoolean(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Sorted, de-duplicated roles from `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role` value. */
export function nodeRoles(labels: Record<string, string>): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(rolePrefix)) {
      const role = key.slice(rolePrefix.length);
      if (role !== '') roles.add(role);
    } else if (key === legacyRoleLabel && value !== '') {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function address(node: unknown, type: string): string {
  const found = records(node, 'status', 'addresses').find((a) => text(a, 'type') === type);
  return found ? text(found, 'address') : '<none>';
}
