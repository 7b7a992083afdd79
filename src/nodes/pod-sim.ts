/**
 * One pod on a simulated node: admission, init containers in order, app containers together,
 * probes, activeDeadlineSeconds and graceful termination. `advancePod` runs every stage that is due
 * and answers when it next needs to run; the kubelet (kubelet.ts) calls it from the timer wheel and
 * on informer updates, then writes the rendered status.
 */
import type { Container, ContainerStatus, Pod } from './api-types.ts';
import { normalizedImage } from './container-sim/image.ts';
import type { ContainerSim, PodSim, SimEnv } from './sim-types.ts';
import { containerStages } from './stages/container-stages.ts';
import { readinessPeriodMs } from './stages/probes.ts';
import type { StageContext } from './stages/stage-context.ts';
import { stopContainer } from './stages/stop-container.ts';
import { hasHostPortConflict, hostPortRejection } from './status/host-ports.ts';
import { kubeletEvents } from './status/kubelet-events.ts';

function containerSim(spec: Container, isInit: boolean, waitingReason: string): ContainerSim {
  const status: ContainerStatus = {
    name: spec.name,
    state: { waiting: { reason: waitingReason } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: normalizedImage(spec.image ?? ''),
    imageID: '',
    started: false,
  };
  return {
    spec,
    isInit,
    isSidecar: isInit && spec.restartPolicy === 'Always',
    step: 'pending',
    status,
    runningSince: 0,
    backoffLevel: 0,
    pullBackoffLevel: 0,
    probes: {},
  };
}

/** Admits `pod` against the pods already running on the node (host ports), as the kubelet does. */
export function createPodSim(pod: Pod, env: SimEnv, admitted: readonly Pod[], podIP: string | undefined): PodSim {
  const hasInit = (pod.spec.initContainers ?? []).length > 0;
  const sim: PodSim = {
    uid: pod.metadata.uid ?? '',
    pod,
    startTime: env.now(),
    isSandboxReady: false,
    initContainers: (pod.spec.initContainers ?? []).map((c) => containerSim(c, true, 'PodInitializing')),
    containers: pod.spec.containers.map((c) =>
      containerSim(c, false, hasInit ? 'PodInitializing' : 'ContainerCreating'),
    ),
    isTerminating: false,
  };
  if (podIP) sim.podIP = podIP;
  if (hasHostPortConflict(pod, admitted)) {
    sim.rejected = { ...hostPortRejection };
    env.event(sim, kubeletEvents.rejected(hostPortRejection.reason, hostPortRejection.message));
  } else {
    sim.isSandboxReady = true;
  }
  return sim;
}

const isDone = (c: ContainerSim) =>
  c.isSidecar ? c.status.started === true : c.step === 'exited' && c.status.state.terminated?.exitCode === 0;

/** The containers whose stages may run now: the first unfinished init container, or the app ones. */
function activeContainers(sim: PodSim): ContainerSim[] {
  if (sim.isTerminating || sim.deadlineExceeded) return [...sim.initContainers, ...sim.containers];
  const active: ContainerSim[] = [];
  for (const c of sim.initContainers) {
    if (c.isSidecar) active.push(c);
    if (!isDone(c)) {
      if (!c.isSidecar) active.push(c);
      return active;
    }
  }
  return [...active, ...sim.containers];
}

function applyProbes(c: ContainerSim, ctx: StageContext): void {
  const now = ctx.env.now();
  const plan = c.probes;
  if (c.step !== 'running') return;
  if (plan.startedAt !== undefined && plan.startedAt <= now) {
    c.status.started = true;
    plan.startedAt = undefined;
  }
  if (plan.readyAt !== undefined && plan.readyAt <= now && c.status.started) {
    // Init containers other than sidecars never report ready while running.
    c.status.ready = !c.isInit || c.isSidecar;
    plan.readyAt = undefined;
  }
  if (plan.unhealthyAt !== undefined && plan.unhealthyAt <= now) {
    ctx.env.event(ctx.sim, ['Warning', 'Unhealthy', plan.unhealthyMessage ?? ''], `spec.containers{${c.spec.name}}`);
    plan.unhealthyAt = now + readinessPeriodMs(c);
  }
  if (plan.killAt !== undefined && plan.killAt <= now && plan.killProbe) {
    const probe = plan.killProbe;
    ctx.env.event(ctx.sim, ['Warning', 'Unhealthy', plan.unhealthyMessage ?? ''], `spec.containers{${c.spec.name}}`);
    ctx.env.event(ctx.sim, kubeletEvents.killingUnhealthy(c.spec.name, probe), `spec.containers{${c.spec.name}}`);
    plan.killAt = undefined;
    stopContainer(c, ctx, probe);
  }
}

function nextProbeAt(c: ContainerSim): number | undefined {
  if (c.step !== 'running') return undefined;
  const times = [c.probes.startedAt, c.probes.readyAt, c.probes.unhealthyAt, c.probes.killAt].filter(
    (t): t is number => t !== undefined,
  );
  return times.length ? Math.min(...times) : undefined;
}

/** Runs what is due; returns when to run again (undefined: only an update can move the pod). */
export function advancePod(sim: PodSim, env: SimEnv): number | undefined {
  if (sim.rejected) return undefined;
  const ctx: StageContext = { sim, env };
  const now = env.now();
  const deadline = sim.pod.spec.activeDeadlineSeconds;
  if (deadline !== undefined && !sim.deadlineExceeded && !sim.isTerminating && now >= sim.startTime + deadline * 1000) {
    sim.deadlineExceeded = true;
    env.event(sim, kubeletEvents.deadlineExceeded());
    for (const c of [...sim.initContainers, ...sim.containers]) stopContainer(c, ctx, 'deadline');
  }
  let wake: number | undefined;
  // Each pass may make more containers active (an init container finished); a few passes settle it.
  for (let pass = 0; pass < 2 + sim.initContainers.length; pass++) {
    let moved = false;
    for (const c of activeContainers(sim)) {
      if (c.step === 'pending' && c.dueAt === undefined && !sim.isTerminating && !sim.deadlineExceeded)
        c.dueAt = Math.max(now, sim.startTime + env.timings.sandboxMs);
      for (let guard = 0; guard < 100; guard++) {
        applyProbes(c, ctx);
        if (c.dueAt === undefined || c.dueAt > now) break;
        containerStages[c.step](c, ctx);
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (const c of [...sim.initContainers, ...sim.containers]) {
    for (const t of [c.dueAt, nextProbeAt(c)]) if (t !== undefined && (wake === undefined || t < wake)) wake = t;
  }
  if (deadline !== undefined && !sim.deadlineExceeded) {
    const at = sim.startTime + deadline * 1000;
    if (wake === undefined || at < wake) wake = at;
  }
  return wake;
}

/** Graceful deletion: stop every container (Killing events); the pod is gone once all have exited. */
export function terminatePod(sim: PodSim, env: SimEnv): void {
  if (sim.isTerminating) return;
  sim.isTerminating = true;
  const ctx: StageContext = { sim, env };
  for (const c of [...sim.containers, ...sim.initContainers]) stopContainer(c, ctx, 'delete');
}

/** True when no container is running or stopping any more. */
export function hasNoRunningContainers(sim: PodSim): boolean {
  return [...sim.initContainers, ...sim.containers].every((c) => c.step !== 'running' && c.step !== 'stopping');
}
