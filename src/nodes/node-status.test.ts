import { describe, expect, it } from 'vitest';
import { internalIP, nodeConditions, nodeResources, podCIDR, registeredNode } from './node-status.ts';

describe('registeredNode', () => {
  const node = registeredNode(
    { name: 'worker-1', index: 1, zone: 'zone-b' },
    'v1.35.0',
    '2026-01-01T00:00:00Z',
    'boot',
  );
  it('labels like a kubeadm worker', () => {
    expect(node.metadata.labels).toEqual({
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'worker-1',
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': 'zone-b',
      'topology.kubernetes.io/region': 'wharf',
    });
  });
  it('reports resources, addresses and versions', () => {
    expect(node.status?.capacity).toMatchObject({ cpu: '4', memory: '16777216Ki', pods: '110' });
    expect(node.status?.allocatable).toMatchObject({ cpu: '4', memory: '16674816Ki', pods: '110' });
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '172.18.0.3' },
      { type: 'Hostname', address: 'worker-1' },
    ]);
    expect(node.status?.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.35.0',
      containerRuntimeVersion: 'containerd://1.7.24',
    });
    expect(node.spec?.podCIDRs).toEqual(['10.244.1.0/24']);
  });
  it('taints a control-plane node', () => {
    const cp = registeredNode({ name: 'cp', index: 0, isControlPlane: true }, 'v1.35.0', '2026-01-01T00:00:00Z', 'b');
    expect(cp.metadata.labels?.['node-role.kubernetes.io/control-plane']).toBe('');
    expect(cp.spec?.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });
});

describe('pool addressing', () => {
  it('gives each node its own /24 and address', () => {
    const cidrs = new Set(Array.from({ length: 5000 }, (_, i) => podCIDR(i)));
    const ips = new Set(Array.from({ length: 5000 }, (_, i) => internalIP(i)));
    expect(cidrs.size).toBe(5000);
    expect(ips.size).toBe(5000);
    expect(podCIDR(0)).toBe('10.244.0.0/24');
  });
  it('keeps configured capacity', () => {
    expect(
      nodeResources({ name: 'n', index: 0, capacity: { cpu: '8', 'example.com/foo': '2' } }).capacity,
    ).toMatchObject({
      cpu: '8',
      'example.com/foo': '2',
    });
  });
});

describe('nodeConditions', () => {
  it('keeps transition times and moves heartbeats', () => {
    const first = nodeConditions(undefined, '2026-01-01T00:00:00Z');
    const next = nodeConditions(first, '2026-01-01T00:00:10Z');
    expect(next.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    expect(next[3]).toMatchObject({
      lastHeartbeatTime: '2026-01-01T00:00:10Z',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
  });
});
