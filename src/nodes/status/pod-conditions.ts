/**
 * The pod conditions a kubelet reports (pkg/kubelet/status generate.go), in the order a real pod
 * shows them: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled; any other
 * condition (readiness gates set by controllers) is kept as found. lastTransitionTime only moves
 * when a condition's status changes.
 */
import type { ContainerStatus, Pod, PodCondition, PodPhase } from '../api-types.ts';
import { pendingInitContainers } from './pod-phase.ts';

export interface ConditionInput {
  pod: Pod;
  phase: PodPhase;
  initStatuses: readonly ContainerStatus[];
  statuses: readonly ContainerStatus[];
  /** The sandbox exists and has its network (false before it is made and after the pod ends). */
  isSandboxReady: boolean;
  /** RFC 3339 time of this update. */
  now: string;
}

type Condition = Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>;

const own = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

/** `[a b]`, Go's %s of a string slice, as the condition messages print names. */
const names = (list: readonly string[]) => `[${list.join(' ')}]`;

function initialized({ pod, phase, initStatuses }: ConditionInput): Condition {
  const pending = pendingInitContainers(pod, initStatuses);
  if (phase === 'Succeeded' && pending.length === 0)
    return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (pending.length === 0) return { type: 'Initialized', status: 'True' };
  return {
    type: 'Initialized',
    status: 'False',
    reason: 'ContainersNotInitialized',
    message: `containers with incomplete status: ${names(pending)}`,
  };
}

function containersReady({ pod, phase, statuses, initStatuses }: ConditionInput): Condition {
  if (phase === 'Succeeded') return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const unknown: string[] = [];
  const unready: string[] = [];
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const check = (name: string, list: readonly ContainerStatus[]) => {
    const status = list.find((s) => s.name === name);
    if (!status) unknown.push(name);
    else if (!status.ready) unready.push(name);
  };
  for (const c of sidecars) check(c.name, initStatuses);
  for (const c of pod.spec.containers) check(c.name, statuses);
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${names(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${names(unready)}`);
  if (messages.length === 0) return { type: 'ContainersReady', status: 'True' };
  return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') };
}

function ready(input: ConditionInput, containers: Condition): Condition {
  if (containers.status !== 'True') return { ...containers, type: 'Ready' };
  const existing = input.pod.status?.conditions ?? [];
  const unmet: string[] = [];
  for (const gate of input.pod.spec.readinessGates ?? []) {
    const condition = existing.find((c) => c.type === gate.conditionType);
    if (!condition) unmet.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (condition.status !== 'True')
      unmet.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${condition.status}`);
  }
  if (unmet.length === 0) return { type: 'Ready', status: 'True' };
  return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unmet.join(', ') };
}

export function podConditions(input: ConditionInput): PodCondition[] {
  const previous = input.pod.status?.conditions ?? [];
  const containers = containersReady(input);
  const scheduled = previous.find((c) => c.type === 'PodScheduled');
  const computed: Condition[] = [
    { type: 'PodReadyToStartContainers', status: input.isSandboxReady ? 'True' : 'False' },
    initialized(input),
    ready(input, containers),
    containers,
  ];
  const result: PodCondition[] = computed.map((c) => {
    const old = previous.find((p) => p.type === c.type);
    const lastTransitionTime =
      old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : input.now;
    return { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime, ...rest(c) };
  });
  result.push(
    scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: input.now },
  );
  for (const c of previous) if (!own.has(c.type)) result.push(c);
  return result;
}

function rest(c: Condition): Pick<PodCondition, 'reason' | 'message' | 'observedGeneration'> {
  const out: Pick<PodCondition, 'reason' | 'message'> = {};
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}
