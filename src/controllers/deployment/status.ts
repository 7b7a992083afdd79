/**
 * A Deployment's status from its ReplicaSets, and the Progressing condition's life (kubernetes
 * pkg/controller/deployment sync.go calculateStatus, progress.go syncRolloutStatus). Pure: the time is a
 * parameter and the caller writes the result.
 */
import type { ReplicaSet } from '../pod-control/types.ts';
import { toTime } from '../runtime/clock.ts';
import { getCondition, messages, newCondition, reasons, removeCondition, setCondition } from './conditions.ts';
import { canonicalJSON } from './pod-template-hash.ts';
import { maxUnavailable, replicasOf, sumAvailable, sumReady, sumReplicas, sumSpecReplicas } from './rollout-math.ts';
import type { Deployment, DeploymentCondition, DeploymentStatus } from './types.ts';

type RS = Readonly<ReplicaSet>;

/** Go's omitempty: zero counts are not part of the JSON a real cluster returns. */
function withoutZeros(status: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const [key, value] of Object.entries(status) as [keyof DeploymentStatus, unknown][]) {
    if (value !== 0 && value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  if (status.collisionCount !== undefined) out.collisionCount = status.collisionCount;
  return out;
}

export function calculateStatus(
  all: readonly RS[],
  newRS: RS | undefined,
  d: Readonly<Deployment>,
  now: number,
): DeploymentStatus {
  const available = sumAvailable(all);
  const status: DeploymentStatus = withoutZeros({
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sumReplicas(all),
    updatedReplicas: newRS ? sumReplicas([newRS]) : 0,
    readyReplicas: sumReady(all),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpecReplicas(all) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  });
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  const at = toTime(now);
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', reasons.minimumReplicasAvailable, messages.available, at));
  } else {
    setCondition(
      status,
      newCondition('Available', 'False', reasons.minimumReplicasUnavailable, messages.unavailable, at),
    );
  }
  return status;
}

const hasProgressDeadline = (d: Readonly<Deployment>) => d.spec?.progressDeadlineSeconds !== undefined;

/** Every replica updated and available, and the latest spec observed (deploymentutil.DeploymentComplete). */
export function isComplete(d: Readonly<Deployment>, status: Readonly<DeploymentStatus>): boolean {
  const replicas = replicasOf(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** Something moved since the last status (deploymentutil.DeploymentProgressing). */
export function isProgressing(d: Readonly<Deployment>, status: Readonly<DeploymentStatus>): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress for progressDeadlineSeconds since the Progressing condition last moved. */
export function isTimedOut(d: Readonly<Deployment>, status: Readonly<DeploymentStatus>, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status, 'Progressing');
  if (!condition) return false;
  if (condition.reason === reasons.progressDeadlineExceeded) return true;
  if (condition.reason === reasons.newReplicaSetAvailable) return false;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}

export interface RolloutStatus {
  status: DeploymentStatus;
  /** When a rollout in progress would pass its deadline: look again then (requeueStuckDeployment). */
  recheckAfterMs?: number;
}

/** calculateStatus plus the Progressing and ReplicaFailure conditions (progress.go syncRolloutStatus). */
export function rolloutStatus(
  all: readonly RS[],
  newRS: RS | undefined,
  d: Readonly<Deployment>,
  now: number,
): RolloutStatus {
  const status = calculateStatus(all, newRS, d, now);
  const at = toTime(now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const alreadyComplete =
    (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === reasons.newReplicaSetAvailable;
  if (hasProgressDeadline(d) && !alreadyComplete) {
    const name = newRS?.metadata.name;
    if (isComplete(d, status)) {
      setCondition(
        status,
        newCondition('Progressing', 'True', reasons.newReplicaSetAvailable, messages.complete(name ?? ''), at),
      );
    } else if (isProgressing(d, status)) {
      const message = name ? messages.progressing(name) : messages.deploymentProgressing(d.metadata.name ?? '');
      // Progressing is special: its lastUpdateTime moves with every bit of progress, even with the same reason.
      const condition = newCondition('Progressing', 'True', reasons.replicaSetUpdated, message, at);
      if (current?.status === 'True' && current.lastTransitionTime)
        condition.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, condition);
    } else if (isTimedOut(d, status, now)) {
      const message = name ? messages.timedOut(name) : messages.deploymentTimedOut(d.metadata.name ?? '');
      setCondition(status, newCondition('Progressing', 'False', reasons.progressDeadlineExceeded, message, at));
    }
  }
  const failure = replicaFailure(newRS, all, at);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  return { status, ...recheck(d, status, now) };
}

function replicaFailure(newRS: RS | undefined, all: readonly RS[], at: string): DeploymentCondition | undefined {
  for (const rs of newRS ? [newRS, ...all] : all) {
    const c = rs.status?.conditions?.find((x) => x.type === 'ReplicaFailure' && x.status === 'True');
    if (c) return newCondition('ReplicaFailure', 'True', c.reason ?? '', c.message ?? '', c.lastTransitionTime ?? at);
  }
  return undefined;
}

function recheck(d: Readonly<Deployment>, status: Readonly<DeploymentStatus>, now: number) {
  const condition = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || condition?.status !== 'True' || isComplete(d, status)) return {};
  if (condition.reason === reasons.newReplicaSetAvailable) return {};
  const from = Date.parse(condition.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return {};
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now;
  return { recheckAfterMs: Math.max(0, after) + 1000 };
}

/** True when writing `next` would change nothing. */
export function sameStatus(current: Readonly<DeploymentStatus> | undefined, next: DeploymentStatus): boolean {
  return canonicalJSON(withoutZeros({ ...current })) === canonicalJSON(next);
}
