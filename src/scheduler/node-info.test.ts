import { describe, expect, it } from 'vitest';
import { addPod, newNodeInfo, podKey, removePod, setNode, toPodInfo } from './node-info.ts';
import { node, pod } from './testing/builders.ts';

describe('NodeInfo', () => {
  it('keeps the plain cpu/memory/pod fields equal to the maps through adds, removes and node updates', () => {
    const info = newNodeInfo(
      node({ cpu: '4', memory: '8Gi', pods: '10', taints: [{ key: 'k', effect: 'NoSchedule' }] }),
    );
    expect([info.allocatableCpu, info.allocatableMemory, info.allocatablePods]).toEqual([4000, 8 * 2 ** 30, 10]);
    expect(info.taints).toHaveLength(1);
    const a = pod({ cpu: '250m', memory: '1Gi' });
    const b = pod({ cpu: '500m' });
    addPod(info, toPodInfo(a));
    addPod(info, toPodInfo(b));
    // Adding the same pod again replaces it rather than counting it twice.
    addPod(info, toPodInfo(b));
    expect([info.requestedCpu, info.requestedMemory, info.requestedPods]).toEqual([750, 2 ** 30, 2]);
    expect(info.requested.get('cpu')).toBe(750);
    removePod(info, podKey(a));
    expect([info.requestedCpu, info.requestedMemory, info.requestedPods]).toEqual([500, 0, 1]);
    setNode(info, node({ name: info.name, cpu: '2', unschedulable: true }));
    expect([info.allocatableCpu, info.unschedulable, info.taints.length]).toEqual([2000, true, 0]);
  });

  it('knows the lowest priority it could evict, ignoring terminating pods', () => {
    const info = newNodeInfo(node());
    expect(info.lowestPriority).toBe(Number.POSITIVE_INFINITY);
    const low = pod({ priority: 1 });
    const high = pod({ priority: 50 });
    const leaving = pod({ priority: -10 });
    leaving.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    for (const p of [high, low, leaving]) addPod(info, toPodInfo(p));
    expect(info.lowestPriority).toBe(1);
    removePod(info, podKey(low));
    expect(info.lowestPriority).toBe(50);
    removePod(info, podKey(high));
    expect(info.lowestPriority).toBe(Number.POSITIVE_INFINITY);
  });
});
