import { describe, expect, it } from 'vitest';
import type { Node, Pod } from './api-types.ts';
import { nodeUsage, podUsage, sampleWindowMs } from './usage-model.ts';

const running = { running: { startedAt: '2024-01-01T00:00:00Z' } };
const pod = (resources: Pod['spec']['containers'][number]['resources'], state: object = running): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'uid-1' },
  spec: { containers: [{ name: 'c', image: 'x', ...(resources ? { resources } : {}) }] },
  status: {
    phase: 'Running',
    containerStatuses: [{ name: 'c', state, lastState: {}, ready: true, restartCount: 0, image: 'x', imageID: '' }],
  },
});
const times = Array.from({ length: 80 }, (_, i) => i * sampleWindowMs);

describe('usage model', () => {
  it('keeps CPU between 60% and 100% of the request and memory between 70% and 90%', () => {
    const p = pod({ requests: { cpu: '200m', memory: '128Mi' } });
    for (const now of times) {
      const [usage] = podUsage(p, now);
      expect(usage?.cpuNanoCores).toBeGreaterThanOrEqual(120e6 - 1);
      expect(usage?.cpuNanoCores).toBeLessThanOrEqual(200e6 + 1);
      expect(usage?.memoryBytes).toBeGreaterThanOrEqual(0.7 * 128 * 2 ** 20 - 1);
      expect(usage?.memoryBytes).toBeLessThanOrEqual(0.9 * 128 * 2 ** 20 + 1);
    }
  });

  it('never exceeds the limits', () => {
    const p = pod({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '500m', memory: '256Mi' } });
    for (const now of times) {
      const [usage] = podUsage(p, now);
      expect(usage?.cpuNanoCores).toBeLessThanOrEqual(500e6);
      expect(usage?.memoryBytes).toBeLessThanOrEqual(256 * 2 ** 20);
    }
  });

  it('is the same within one sample window and varies across windows', () => {
    const p = pod({ requests: { cpu: '1' } });
    expect(podUsage(p, 1000)).toEqual(podUsage(p, sampleWindowMs - 1));
    const values = new Set(times.map((now) => podUsage(p, now)[0]?.cpuNanoCores));
    expect(values.size).toBeGreaterThan(10);
  });

  it('reports only running containers', () => {
    expect(podUsage(pod(undefined, { waiting: { reason: 'ContainerCreating' } }), 0)).toEqual([]);
    expect(podUsage(pod(undefined), 0)).toEqual([{ name: 'c', cpuNanoCores: 2e6, memoryBytes: 12 * 2 ** 20 }]);
  });

  it('adds the system overhead to a node and caps it at capacity', () => {
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n' },
      status: { capacity: { cpu: '1', memory: '1Gi' } },
    };
    const idle = nodeUsage(node, [], 0);
    expect(idle).toEqual({ cpuNanoCores: 60e6, memoryBytes: 640 * 2 ** 20 });
    const busy = nodeUsage(node, [pod({ requests: { cpu: '4', memory: '4Gi' } })], 0);
    expect(busy).toEqual({ cpuNanoCores: 1e9, memoryBytes: 2 ** 30 });
  });
});
