import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../pod-control/types.ts';
import { calculateStatus, rolloutStatus } from './status.ts';
import type { Deployment } from './types.ts';

const now = Date.parse('2026-05-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function rs(name: string, spec: number, status: { replicas?: number; ready?: number; available?: number }): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, uid: name },
    spec: { replicas: spec },
    status: { replicas: status.replicas ?? 0, readyReplicas: status.ready, availableReplicas: status.available },
  };
}

function deployment(status: Deployment['status'] = {}, replicas = 4): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation: 2 },
    spec: { replicas, progressDeadlineSeconds: 600 },
    status,
  };
}

describe('calculateStatus', () => {
  it('sums the ReplicaSets and leaves zero counts out, as a real cluster does', () => {
    const newRS = rs('web-new', 2, { replicas: 2, ready: 1 });
    const old = rs('web-old', 3, { replicas: 3, ready: 3, available: 3 });
    const status = calculateStatus([old, newRS], newRS, deployment(), now);
    expect(status).toMatchObject({
      observedGeneration: 2,
      replicas: 5,
      updatedReplicas: 2,
      readyReplicas: 4,
      availableReplicas: 3,
      unavailableReplicas: 2,
    });
    // 3 available >= 4 - maxUnavailable (25% of 4 = 1).
    expect(status.conditions).toEqual([
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: iso(now),
        lastTransitionTime: iso(now),
      },
    ]);
    const none = calculateStatus([rs('web-new', 4, { replicas: 4 })], undefined, deployment(), now);
    expect(none).not.toHaveProperty('availableReplicas');
    expect(none.conditions?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });
});

describe('rolloutStatus', () => {
  const progressing = (lastUpdate: number) =>
    deployment({
      observedGeneration: 2,
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: 'ReplicaSet "web-new" is progressing.',
          lastUpdateTime: iso(lastUpdate),
          lastTransitionTime: iso(lastUpdate - 5000),
        },
      ],
    });
  const stuck = [rs('web-old', 3, { replicas: 3, ready: 3, available: 3 }), rs('web-new', 1, { replicas: 1 })];

  it('moves lastUpdateTime but keeps lastTransitionTime on progress', () => {
    const moved = [rs('web-old', 3, { replicas: 3, ready: 3, available: 3 }), rs('web-new', 2, { replicas: 2 })];
    const { status } = rolloutStatus(moved, moved[1], progressing(now - 60_000), now);
    const c = status.conditions?.find((x) => x.type === 'Progressing');
    expect(c).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: iso(now),
      lastTransitionTime: iso(now - 65_000),
    });
  });

  it('reports ProgressDeadlineExceeded once the deadline passes without progress, and asks to be rechecked before', () => {
    const early = rolloutStatus(stuck, stuck[1], progressing(now - 60_000), now);
    expect(early.status.conditions?.find((x) => x.type === 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    expect(early.recheckAfterMs).toBe(541_000);
    const late = rolloutStatus(stuck, stuck[1], progressing(now - 601_000), now);
    expect(late.status.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "web-new" has timed out progressing.',
    });
  });

  it('says NewReplicaSetAvailable when every replica is updated and available', () => {
    const done = [rs('web-old', 0, {}), rs('web-new', 4, { replicas: 4, ready: 4, available: 4 })];
    const { status, recheckAfterMs } = rolloutStatus(done, done[1], progressing(now - 1000), now);
    expect(status.conditions?.map((c) => [c.type, c.reason, c.message])).toEqual([
      ['Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'NewReplicaSetAvailable', 'ReplicaSet "web-new" has successfully progressed.'],
    ]);
    expect(recheckAfterMs).toBeUndefined();
  });
});
