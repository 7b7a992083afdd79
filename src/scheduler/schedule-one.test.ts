import { describe, expect, it } from 'vitest';
import { addPod, type PodInfo, toPodInfo } from './node-info.ts';
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

  it('keeps room nominated to a node for pods at least as important, and sees the node change under it', () => {
    const snap = snapshot([node({ name: 'a', cpu: '1' })]);
    const nominated: PodInfo[] = [toPodInfo(pod({ cpu: '600m', priority: 100 }))];
    (snap.infos[0] as (typeof snap.infos)[number]).nominated = nominated;
    snap.hasNominatedPods = () => true;
    const profile = defaultProfile('default-scheduler', {}, ['DefaultPreemption']);
    const cursor = { nextStartIndex: 0 };
    expect(scheduleOne(profile, snap, pod({ cpu: '300m', priority: 100 }), cursor).kind).toBe('scheduled');
    expect(scheduleOne(profile, snap, pod({ cpu: '500m', priority: 100 }), cursor).kind).toBe('unschedulable');
    // More important pods may take that room (and preempt the nominated pod's claim).
    expect(scheduleOne(profile, snap, pod({ cpu: '500m', priority: 200 }), cursor).kind).toBe('scheduled');
    expect(scheduleOne(profile, snap, pod({ cpu: '500m', priority: 0 }), cursor).kind).toBe('unschedulable');
    // The nominated pod itself is not counted against itself.
    expect(scheduleOne(profile, snap, nominated[0]?.pod as ReturnType<typeof pod>, cursor).kind).toBe('scheduled');
    // A pod placed on the node since then counts too (the nominated view is not reused stale).
    addPod(snap.infos[0] as (typeof snap.infos)[number], toPodInfo(pod({ cpu: '200m' })));
    expect(scheduleOne(profile, snap, pod({ cpu: '300m', priority: 100 }), cursor).kind).toBe('unschedulable');
  });

  it('looks at a bounded share of big clusters', () => {
    expect(feasibleNodesToFind(50, 0)).toBe(50);
    expect(feasibleNodesToFind(5000, 0)).toBe(500);
    expect(feasibleNodesToFind(1000, 0)).toBe(420);
    expect(feasibleNodesToFind(200, 0)).toBe(100);
  });
});
