/**
 * Deployment conditions with Kubernetes' reasons and messages (pkg/controller/deployment/util and
 * progress.go). `setCondition` keeps lastTransitionTime while the status holds and changes nothing when
 * status and reason are the same (deploymentutil.SetDeploymentCondition).
 */
import type { DeploymentCondition, DeploymentStatus } from './types.ts';

export const reasons = {
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedReplicaSetCreate: 'ReplicaSetCreateError',
} as const;

export const messages = {
  available: 'Deployment has minimum availability.',
  unavailable: 'Deployment does not have minimum availability.',
  created: (rs: string) => `Created new replica set "${rs}"`,
  found: (rs: string) => `Found new replica set "${rs}"`,
  progressing: (rs: string) => `ReplicaSet "${rs}" is progressing.`,
  deploymentProgressing: (d: string) => `Deployment "${d}" is progressing.`,
  complete: (rs: string) => `ReplicaSet "${rs}" has successfully progressed.`,
  timedOut: (rs: string) => `ReplicaSet "${rs}" has timed out progressing.`,
  deploymentTimedOut: (d: string) => `Deployment "${d}" has timed out progressing.`,
  paused: 'Deployment is paused',
  resumed: 'Deployment is resumed',
};

export function newCondition(
  type: DeploymentCondition['type'],
  status: DeploymentCondition['status'],
  reason: string,
  message: string,
  now: string,
): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(
  status: Readonly<DeploymentStatus> | undefined,
  type: DeploymentCondition['type'],
): Readonly<DeploymentCondition> | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status && current.lastTransitionTime)
    next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: DeploymentCondition['type']): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (!status.conditions.length) delete status.conditions;
}
