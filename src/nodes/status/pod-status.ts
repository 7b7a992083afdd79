/**
 * Renders a simulated pod's status as the kubelet reports it, on top of the status the API holds
 * (conditions others own, such as PodScheduled and readiness gates, are kept).
 */
import { toTime } from '../../controllers/runtime/clock.ts';
import { copyValue } from '../../copy-value.ts';
import type { PodPhase, PodStatus } from '../api-types.ts';
import type { PodSim } from '../sim-types.ts';
import { podConditions } from './pod-conditions.ts';
import { podPhase } from './pod-phase.ts';
import { qosClass } from './qos-class.ts';

const ownConditionTypes = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

export const deadlineExceeded = {
  reason: 'DeadlineExceeded',
  message: 'Pod was active on the node longer than the specified deadline',
} as const;

export function renderPodStatus(sim: PodSim, hostIP: string, now: number): PodStatus {
  const pod = sim.pod;
  const base: PodStatus = { ...pod.status, qosClass: qosClass(pod) };
  if (sim.rejected) {
    return {
      ...base,
      phase: 'Failed',
      reason: sim.rejected.reason,
      message: `Pod was rejected: ${sim.rejected.message}`,
      startTime: toTime(sim.startTime),
    };
  }
  const initStatuses = sim.initContainers.map((c) => copyValue(c.status));
  const statuses = sim.containers.map((c) => copyValue(c.status));
  let phase: PodPhase = podPhase(pod, initStatuses, statuses);
  const allStopped = [...sim.initContainers, ...sim.containers].every((c) => c.step === 'exited');
  if (sim.deadlineExceeded) phase = 'Failed';
  else if (sim.isTerminating && allStopped && phase !== 'Succeeded' && phase !== 'Failed') {
    // A deleted pod ends in a terminal phase once its containers stopped (kubelet 1.27+).
    phase = statuses.every((s) => s.state.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  const status: PodStatus = {
    ...base,
    phase,
    conditions: podConditions({
      pod,
      phase,
      initStatuses,
      statuses,
      isSandboxReady: sim.isSandboxReady && !(sim.isTerminating && allStopped),
      now: toTime(now),
    }),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: toTime(sim.startTime),
    containerStatuses: statuses,
  };
  if (sim.podIP) {
    status.podIP = sim.podIP;
    status.podIPs = [{ ip: sim.podIP }];
  }
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  // PodObservedGenerationTracking (on by default since 1.34): the generation this status is for.
  const generation = pod.metadata.generation;
  if (generation !== undefined) {
    status.observedGeneration = generation;
    for (const c of status.conditions ?? []) if (ownConditionTypes.has(c.type)) c.observedGeneration = generation;
  }
  if (sim.deadlineExceeded) {
    status.reason = deadlineExceeded.reason;
    status.message = deadlineExceeded.message;
  }
  return status;
}
