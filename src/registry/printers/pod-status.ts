/**
 * The Ready, Status and Restarts cells of a pod, following kube's printPod rules (pkg/printers/
 * internalversion printPod): the phase, overridden by the first init container that has not finished,
 * then by the first app container that is waiting or terminated, then by deletion.
 */
import { humanDuration, parseTime } from './age.ts';
import { type Fields, integer, isRecord, optionalBoolean, record, records, text } from './fields.ts';

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** kubelet's status.reason for pods on a node that stopped reporting (node.NodeUnreachablePodReason). */
const nodeLostReason = 'NodeLost';

export function podSummary(pod: unknown, now: number): PodSummary {
  const spec = record(pod, 'spec');
  const status = record(pod, 'status');
  const phase = text(status, 'phase');
  let reason = text(status, 'reason') || phase;
  const isSchedulingGated = records(status, 'conditions').some(
    (c) => text(c, 'type') === 'PodScheduled' && text(c, 'reason') === 'SchedulingGated',
  );
  if (isSchedulingGated) reason = 'SchedulingGated';

  // Sidecars (init containers with restartPolicy Always) count as containers of the running pod.
  const sidecars = new Set(
    records(spec, 'initContainers')
      .filter((c) => text(c, 'restartPolicy') === 'Always')
      .map((c) => text(c, 'name')),
  );
  const initContainerCount = records(spec, 'initContainers').length;
  const total = records(spec, 'containers').length + sidecars.size;
  let ready = 0;

  const allInit = new RestartTally();
  const sidecarTally = new RestartTally();
  let initializing = false;
  const initStatuses = records(status, 'initContainerStatuses');
  for (const [index, container] of initStatuses.entries()) {
    const isSidecar = sidecars.has(text(container, 'name'));
    allInit.add(container);
    if (isSidecar) sidecarTally.add(container);
    const terminated = stateOf(container, 'terminated');
    const waiting = stateOf(container, 'waiting');
    if (terminated && integer(terminated, 'exitCode') === 0) continue;
    if (isSidecar && optionalBoolean(container, 'started') === true) {
      if (optionalBoolean(container, 'ready') === true) ready++;
      continue;
    }
    initializing = true;
    if (terminated) reason = `Init:${terminatedReason(terminated)}`;
    else if (waiting && text(waiting, 'reason') !== '' && text(waiting, 'reason') !== 'PodInitializing')
      reason = `Init:${text(waiting, 'reason')}`;
    else reason = `Init:${index}/${initContainerCount}`;
    break;
  }

  let restarts = allInit;
  if (!initializing || isConditionTrue(status, 'Initialized')) {
    restarts = sidecarTally;
    let hasRunning = false;
    // Walk backwards so that the first container's state is the one left in `reason`.
    for (const container of records(status, 'containerStatuses').reverse()) {
      restarts.add(container);
      const waiting = stateOf(container, 'waiting');
      const terminated = stateOf(container, 'terminated');
      if (waiting && text(waiting, 'reason') !== '') reason = text(waiting, 'reason');
      else if (terminated) reason = terminatedReason(terminated);
      else if (optionalBoolean(container, 'ready') === true && stateOf(container, 'running')) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose main container finished while a sidecar-like container still runs is not done.
    if (reason === 'Completed' && hasRunning) reason = isConditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }

  const isDeleting = text(pod, 'metadata', 'deletionTimestamp') !== '';
  if (isDeleting && text(status, 'reason') === nodeLostReason) reason = 'Unknown';
  else if (isDeleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return { ready: `${ready}/${total}`, status: reason, restarts: restarts.format(now) };
}

/** Sum of restartCount and the latest lastState.terminated.finishedAt over some container statuses. */
class RestartTally {
  count = 0;
  lastFinished: number | undefined;

  add(container: Fields): void {
    this.count += integer(container, 'restartCount');
    const finished = parseTime(text(container, 'lastState', 'terminated', 'finishedAt'));
    if (finished !== undefined && (this.lastFinished === undefined || finished > this.lastFinished)) {
      this.lastFinished = finished;
    }
  }

  /** `3` or `3 (5m ago)`. */
  format(now: number): string {
    if (this.count === 0 || this.lastFinished === undefined) return String(this.count);
    return `${this.count} (${humanDuration(now - this.lastFinished)} ago)`;
  }
}

function stateOf(container: Fields, state: 'waiting' | 'running' | 'terminated'): Fields | undefined {
  const value = record(container, 'state')[state];
  return isRecord(value) ? value : undefined;
}

/** A terminated state's reason, else `Signal:N` or `ExitCode:N`. */
function terminatedReason(terminated: Fields): string {
  const reason = text(terminated, 'reason');
  if (reason !== '') return reason;
  const signal = integer(terminated, 'signal');
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${integer(terminated, 'exitCode')}`;
}

function isConditionTrue(status: Fields, type: string): boolean {
  const condition = records(status, 'conditions').find((c) => text(c, 'type') === type);
  return condition !== undefined && text(condition, 'status') === 'True';
}
