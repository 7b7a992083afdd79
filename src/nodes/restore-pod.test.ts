import { describe, expect, it } from 'vitest';
import type { Pod } from './api-types.ts';
import { createLogStore } from './log-store.ts';
import { advancePod, createPodSim } from './pod-sim.ts';
import { restorePodSim, wasRunning } from './restore-pod.ts';
import { defaultTimings, type SimEnv } from './sim-types.ts';
import { renderPodStatus } from './status/pod-status.ts';

function env(now: number, events: string[]): SimEnv {
  return {
    now: () => now,
    timings: { ...defaultTimings, pullMs: () => 0, sandboxMs: 0 },
    event: (_sim, [, reason]) => events.push(reason),
    logs: createLogStore(),
    lookup: { configMap: () => undefined, secret: () => undefined },
    hostIP: '172.18.0.2',
    images: new Set(),
    newContainerID: () => 'fresh',
  };
}

describe('restorePodSim', () => {
  it('adopts a running pod without restarting it', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', uid: 'u1' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    };
    const first = env(Date.parse('2026-01-01T00:00:00Z'), []);
    const sim = createPodSim(pod, first, [], '10.244.0.7');
    advancePod(sim, first);
    advancePod(sim, first);
    const running = { ...pod, status: renderPodStatus(sim, first.hostIP, first.now()) };
    expect(running.status.phase).toBe('Running');
    expect(wasRunning(running)).toBe(true);

    const events: string[] = [];
    const later = env(Date.parse('2026-01-01T01:00:00Z'), events);
    const adopted = createPodSim(structuredClone(running), later, [], '10.244.0.7');
    restorePodSim(adopted, later);
    advancePod(adopted, later);
    const status = renderPodStatus(adopted, later.hostIP, later.now());
    expect(status.containerStatuses?.[0]).toEqual(running.status.containerStatuses?.[0]);
    expect(status.startTime).toBe('2026-01-01T00:00:00Z');
    expect(status.phase).toBe('Running');
    expect(events).toEqual([]);
  });
});
