import { describe, expect, it } from 'vitest';
import { defaultProfile } from './plugins/index.ts';
import { feasibleNodesToFind, scheduleOne } from './schedule-one.ts';
import { node, pod, snapshot } from './testing/builders.ts';

describe('scheduleOne', () => {
  it('aggregates reasons across nodes like kube-scheduler', () => {
    const nodes = [
      node({ name: 'a', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      node({ name: 'b', cpu: '1' }),
      node({ name: 'c', cpu: '1' }),
    ];
    const result = scheduleOne(defaultProfile(), snapshot(nodes), pod({ cpu: '2' }), { nextStartIndex: 0 });
    expect(result.kind).toBe('unschedulable');
    if (result.kind !== 'unschedulable') return;
    expect(result.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('prefers the least allocated node', () => {
    const snap = snapshot([node({ name: 'busy' }), node({ name: 'idle' })], {
      busy: [pod({ cpu: '3', memory: '8Gi' })],
    });
    const result = scheduleOne(defaultProfile(), snap, pod({ cpu: '100m' }), { nextStartIndex: 0 });
    expect(result).toMatchObject({ kind: 'scheduled', node: 'idle' });
  });

  it('prefers nodes whose PreferNoSchedule taints are tolerated', () => {
    const snap = snapshot([
      node({ name: 'soft', taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }),
      node({ name: 'plain' }),
    ]);
    for (let i = 0; i < 5; i++) {
      expect(scheduleOne(defaultProfile(), snap, pod(), { nextStartIndex: i })).toMatchObject({ node: 'plain' });
    }
  });

  it('looks at a bounded share of big clusters', () => {
    expect(feasibleNodesToFind(50, 0)).toBe(50);
    expect(feasibleNodesToFind(5000, 0)).toBe(500);
    expect(feasibleNodesToFind(1000, 0)).toBe(420);
    expect(feasibleNodesToFind(200, 0)).toBe(100);
  });
});
