import { describe, expect, it } from 'vitest';
import { nodePrinter, nodeRoles } from './node.ts';
import { cells, object } from './testing.ts';

const node = (conditions: Record<string, unknown>[], unschedulable?: boolean) =>
  object('Node', { spec: unschedulable === undefined ? {} : { unschedulable }, status: { conditions } });

describe('node printer', () => {
  it.each([
    ['Ready', [{ type: 'Ready', status: 'True' }], undefined, 'Ready'],
    ['NotReady when False', [{ type: 'Ready', status: 'False' }], undefined, 'NotReady'],
    ['NotReady when Unknown', [{ type: 'Ready', status: 'Unknown' }], undefined, 'NotReady'],
    ['Unknown without a Ready condition', [{ type: 'MemoryPressure', status: 'False' }], undefined, 'Unknown'],
    ['SchedulingDisabled when cordoned', [{ type: 'Ready', status: 'True' }], true, 'Ready,SchedulingDisabled'],
    ['Unknown,SchedulingDisabled', [], true, 'Unknown,SchedulingDisabled'],
  ])('shows %s', (_case, conditions, unschedulable, expected) => {
    expect(cells(nodePrinter, node(conditions, unschedulable)).Status).toBe(expected);
  });

  it.each([
    ['no role labels', { 'kubernetes.io/hostname': 'n1' }, '<none>'],
    [
      'node-role labels, sorted',
      { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' },
      'control-plane,worker',
    ],
    ['the legacy kubernetes.io/role label', { 'kubernetes.io/role': 'master' }, 'master'],
    ['both, de-duplicated', { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/worker': 'true' }, 'worker'],
    ['an empty role name, ignored', { 'node-role.kubernetes.io/': '', 'kubernetes.io/role': '' }, '<none>'],
  ])('finds roles from %s', (_case, labels, expected) => {
    expect(nodeRoles(labels)).toBe(expected);
  });

  it('prints version, addresses and system info, with <none>/<unknown> when missing', () => {
    const full = object('Node', {
      status: {
        addresses: [
          { type: 'Hostname', address: 'n1' },
          { type: 'InternalIP', address: '172.18.0.2' },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.35.0',
          osImage: 'Debian',
          kernelVersion: '6.1',
          containerRuntimeVersion: 'containerd://2.0',
        },
      },
    });
    expect(cells(nodePrinter, full)).toMatchObject({
      Version: 'v1.35.0',
      'Internal-IP': '172.18.0.2',
      'External-IP': '<none>',
      'OS-Image': 'Debian',
      'Kernel-Version': '6.1',
      'Container-Runtime': 'containerd://2.0',
    });
    expect(cells(nodePrinter, object('Node'))).toMatchObject({ Version: '', 'OS-Image': '<unknown>', Roles: '<none>' });
  });
});
