/**
 * The pod phase from its container statuses, as the kubelet's getPhase (kubelet_pods.go) decides
 * it. A container waiting to restart after it exited counts as stopped, so a crash-looping pod with
 * restartPolicy Always stays Running while one with Never becomes Failed.
 */
import type { ContainerStatus, Pod, PodPhase } from '../api-types.ts';

const isSidecar = (pod: Pod, name: string) =>
  pod.spec.initContainers?.find((c) => c.name === name)?.restartPolicy === 'Always';

/** True when every init container is done (exit 0), or started for sidecars. */
export function isInitialized(pod: Pod, initStatuses: readonly ContainerStatus[]): boolean {
  return pendingInitContainers(pod, initStatuses).length === 0;
}

/** Names of init containers not done yet, in spec order. */
export function pendingInitContainers(pod: Pod, initStatuses: readonly ContainerStatus[]): string[] {
  const pending: string[] = [];
  for (const container of pod.spec.initContainers ?? []) {
    const status = initStatuses.find((s) => s.name === container.name);
    const done = isSidecar(pod, container.name) ? status?.started === true : status?.state.terminated?.exitCode === 0;
    if (!done) pending.push(container.name);
  }
  return pending;
}

function hasFailedInit(pod: Pod, initStatuses: readonly ContainerStatus[]): boolean {
  return initStatuses.some((s) => {
    if (isSidecar(pod, s.name)) return false;
    const terminated = s.state.terminated ?? (s.state.waiting ? s.lastState.terminated : undefined);
    return terminated !== undefined && terminated.exitCode !== 0;
  });
}

export function podPhase(
  pod: Pod,
  initStatuses: readonly ContainerStatus[],
  statuses: readonly ContainerStatus[],
): PodPhase {
  const restartPolicy = pod.spec.restartPolicy ?? 'Always';
  if (restartPolicy === 'Never' && hasFailedInit(pod, initStatuses)) return 'Failed';
  if (!isInitialized(pod, initStatuses)) return 'Pending';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of pod.spec.containers) {
    const status = statuses.find((s) => s.name === container.name);
    if (!status) return 'Pending';
    const terminated = status.state.terminated ?? (status.state.waiting ? status.lastState.terminated : undefined);
    if (status.state.running) running++;
    else if (terminated) {
      stopped++;
      if (terminated.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (restartPolicy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return restartPolicy === 'Never' ? 'Failed' : 'Running';
}
