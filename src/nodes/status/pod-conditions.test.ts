import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod, PodPhase } from '../api-types.ts';
import { exited, pod, running, status } from './builders.test-helpers.ts';
import { podConditions } from './pod-conditions.ts';

const now = '2026-01-01T00:00:10Z';

function conditions(p: Pod, phase: PodPhase, statuses: ContainerStatus[], init: ContainerStatus[] = []) {
  return podConditions({ pod: p, phase, statuses, initStatuses: init, isSandboxReady: true, now });
}

const summary = (list: ReturnType<typeof conditions>) =>
  list.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']);

describe('podConditions', () => {
  it('reports unready containers in Go slice format', () => {
    const p = pod({}, [{ name: 'web' }, { name: 'side' }]);
    expect(summary(conditions(p, 'Running', [status('web', running), status('side', running)]))).toEqual([
      ['PodReadyToStartContainers', 'True', '', ''],
      ['Initialized', 'True', '', ''],
      ['Ready', 'False', 'ContainersNotReady', 'containers with unready status: [web side]'],
      ['ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [web side]'],
      ['PodScheduled', 'True', '', ''],
    ]);
  });

  it('is Ready when all containers are', () => {
    const list = conditions(pod(), 'Running', [status('web', running, { ready: true })]);
    expect(list.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it.each<[PodPhase, string]>([
    ['Succeeded', 'PodCompleted'],
    ['Failed', 'PodFailed'],
  ])('uses reason %s → %s for a terminal pod', (phase, reason) => {
    const list = conditions(pod({ restartPolicy: 'Never' }), phase, [
      status('web', exited(phase === 'Failed' ? 1 : 0)),
    ]);
    expect(list.find((c) => c.type === 'ContainersReady')).toMatchObject({ status: 'False', reason });
    expect(list.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason });
  });

  it('names incomplete init containers', () => {
    const p = pod({ initContainers: [{ name: 'a' }, { name: 'b' }] });
    const list = conditions(p, 'Pending', [], [status('a', exited(0)), status('b', running)]);
    expect(list.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [b]',
    });
  });

  it('holds Ready on readiness gates', () => {
    const p = pod({ readinessGates: [{ conditionType: 'example.com/gate' }] });
    const list = conditions(p, 'Running', [status('web', running, { ready: true })]);
    expect(list.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "example.com/gate" does not exist.',
    });
    p.status = { conditions: [{ type: 'example.com/gate', status: 'True' }] };
    const after = conditions(p, 'Running', [status('web', running, { ready: true })]);
    expect(after.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(after.at(-1)?.type).toBe('example.com/gate');
  });

  it('keeps lastTransitionTime while the status holds', () => {
    const p = pod();
    p.status = {
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-31T23:59:59Z' },
      ],
    };
    const list = conditions(p, 'Running', [status('web', running, { ready: true })]);
    expect(list.find((c) => c.type === 'Initialized')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(list.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(now);
    expect(list.find((c) => c.type === 'PodScheduled')?.lastTransitionTime).toBe('2025-12-31T23:59:59Z');
  });
});
