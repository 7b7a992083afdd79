/**
 * Adoption of pods a previous run of wharf was already running on this node: the store keeps
 * them across restarts, and a real kubelet that restarts finds its containers still there. Running
 * containers keep their IDs, start times and readiness; finished init containers stay finished;
 * the pod keeps its IP and start time.
 */
import type { ContainerStatus, Pod } from './api-types.ts';
import type { PodSim, SimEnv } from './sim-types.ts';
import { resumeContainer } from './stages/container-stages.ts';

/** True when `pod` has containers a kubelet already started. */
export function wasRunning(pod: Readonly<Pod>): boolean {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return pod.status?.phase === 'Running' || statuses.some((s) => s.containerID);
}

export function restorePodSim(sim: PodSim, env: SimEnv): void {
  const status = sim.pod.status;
  if (!status || sim.rejected) return;
  const started = Date.parse(status.startTime ?? '');
  if (!Number.isNaN(started)) sim.startTime = started;
  const ctx = { sim, env };
  const restore = (list: PodSim['containers'], statuses: ContainerStatus[] | undefined) => {
    for (const c of list) {
      const old = statuses?.find((s) => s.name === c.spec.name);
      if (!old?.containerID) continue;
      c.status = structuredClone(old);
      c.status.lastState ??= {};
      if (old.state.running) resumeContainer(c, ctx);
      else if (old.state.terminated?.exitCode === 0 && c.isInit) c.step = 'exited';
    }
  };
  restore(sim.initContainers, status.initContainerStatuses);
  restore(sim.containers, status.containerStatuses);
}
