/**
 * The container life as a table: one stage per step (sim-types.ts ContainerStep), run when the
 * container's `dueAt` comes. A stage changes the container's status, records the kubelet's events
 * and sets the next step and due time — kwok's stages, with functions instead of templates.
 */
import { toTime } from '../../controllers/runtime/clock.ts';
import { mountedFiles, resolveEnv } from '../container-sim/container-env.ts';
import {
  imageID,
  imageSizeBytes,
  isUnpullable,
  normalizedImage,
  parseImageRef,
  pullErrorMessage,
} from '../container-sim/image.ts';
import { overridesFrom, withOverrides } from '../container-sim/overrides.ts';
import { toProgram } from '../container-sim/program.ts';
import { runProgram } from '../container-sim/run-program.ts';
import type { ContainerSim, ContainerStep } from '../sim-types.ts';
import { backoffResetMs, maxBackoffMs, restartDelayMs } from '../status/backoff.ts';
import { crashLoopMessage, kubeletEvents, pullBackOffMessage } from '../status/kubelet-events.ts';
import { planProbes } from './probes.ts';
import { describePod, emit, type StageContext } from './stage-context.ts';

type Stage = (c: ContainerSim, ctx: StageContext) => void;

/** Kubernetes' default pull policy: Always for `:latest` (or no tag), IfNotPresent otherwise. */
function pullPolicy(c: ContainerSim): string {
  return c.spec.imagePullPolicy ?? (parseImageRef(c.spec.image ?? '').tag === 'latest' ? 'Always' : 'IfNotPresent');
}

function startPull(c: ContainerSim, ctx: StageContext) {
  const image = c.spec.image ?? '';
  const now = ctx.env.now();
  if (isUnpullable(image)) {
    emit(c, ctx, kubeletEvents.pulling(image));
    c.step = 'pull-error';
    c.dueAt = now + ctx.env.timings.pullMs(image);
  } else if (pullPolicy(c) === 'Always' || !ctx.env.images.has(normalizedImage(image))) {
    emit(c, ctx, kubeletEvents.pulling(image));
    c.step = 'pulling';
    c.dueAt = now + ctx.env.timings.pullMs(image);
  } else {
    emit(c, ctx, kubeletEvents.alreadyPresent(image));
    createContainer(c, ctx);
  }
}

function finishPull(c: ContainerSim, ctx: StageContext) {
  const image = c.spec.image ?? '';
  emit(c, ctx, kubeletEvents.pulled(image, ctx.env.timings.pullMs(image), imageSizeBytes(image)));
  ctx.env.images.add(normalizedImage(image));
  createContainer(c, ctx);
}

function failPull(c: ContainerSim, ctx: StageContext) {
  const image = c.spec.image ?? '';
  const error = pullErrorMessage(image);
  emit(c, ctx, kubeletEvents.pullFailed(image, error));
  emit(c, ctx, kubeletEvents.failed('ErrImagePull'));
  c.status.state = { waiting: { reason: 'ErrImagePull', message: error } };
  c.step = 'pull-backoff';
  c.dueAt = ctx.env.now() + 1000;
}

/** ErrImagePull turns into ImagePullBackOff; when the back-off ends the pull is tried again. */
function pullBackoff(c: ContainerSim, ctx: StageContext) {
  const image = c.spec.image ?? '';
  if (c.status.state.waiting?.reason !== 'ErrImagePull') return startPull(c, ctx);
  c.status.state = {
    waiting: { reason: 'ImagePullBackOff', message: pullBackOffMessage(image, pullErrorMessage(image)) },
  };
  emit(c, ctx, kubeletEvents.pullBackOff(image));
  emit(c, ctx, kubeletEvents.failed('ImagePullBackOff'));
  c.dueAt = ctx.env.now() + Math.min(10_000 * 2 ** c.pullBackoffLevel, maxBackoffMs);
  c.pullBackoffLevel++;
}

/** Resolves env and files and builds the program; a message when a referenced object is missing. */
function buildProgram(c: ContainerSim, ctx: StageContext): { env: Map<string, string> } | { error: string } {
  const { sim, env } = ctx;
  const network = { hostIP: env.hostIP, ...(sim.podIP ? { podIP: sim.podIP } : {}) };
  const resolved = resolveEnv(sim.pod, c.spec, env.lookup, network);
  if (!resolved.ok) return { error: resolved.message };
  const program = toProgram(c.spec, resolved.value);
  const files = mountedFiles(sim.pod, c.spec, env.lookup);
  const hostname = sim.pod.spec.hostname ?? sim.pod.metadata.name ?? '';
  const effects = runProgram(program, { env: resolved.value, hostname, files, now: env.now });
  // Duration and exit-code annotations shape the app containers; init containers run as written.
  c.program = c.isInit ? effects : withOverrides(effects, overridesFrom(sim.pod.metadata.annotations));
  c.isServer = program.kind === 'server';
  return { env: resolved.value };
}

function createContainer(c: ContainerSim, ctx: StageContext) {
  const { sim, env } = ctx;
  const now = env.now();
  const built = buildProgram(c, ctx);
  if ('error' in built) {
    c.status.state = { waiting: { reason: 'CreateContainerConfigError', message: built.error } };
    emit(c, ctx, kubeletEvents.failed(built.error));
    c.step = 'config-error';
    c.dueAt = now + env.timings.configRetryMs;
    return;
  }
  c.status.containerID = `containerd://${env.newContainerID()}`;
  c.status.imageID = imageID(c.spec.image ?? '');
  emit(c, ctx, kubeletEvents.created(c.spec.name));
  emit(c, ctx, kubeletEvents.started(c.spec.name));
  c.status.state = { running: { startedAt: toTime(now) } };
  c.status.started = false;
  c.status.ready = false;
  c.runningSince = now;
  c.probes = planProbes(c, sim, built.env, now);
  c.step = 'running';
  play(c, ctx);
}

/**
 * Takes over a container a previous run of wharf reported running (the store outlives the
 * process): its status, ID and readiness stay; its program starts again from the top, since a
 * simulated process has no state to keep.
 */
export function resumeContainer(c: ContainerSim, ctx: StageContext): void {
  const started = Date.parse(c.status.state.running?.startedAt ?? '');
  c.runningSince = Number.isNaN(started) ? ctx.env.now() : started;
  if ('error' in buildProgram(c, ctx)) c.program = undefined;
  ctx.env.images.add(normalizedImage(c.spec.image ?? ''));
  c.probes = {};
  c.step = 'running';
  c.dueAt = ctx.env.now();
}

/** Plays the program's effects that are due now: log lines, then a sleep, an exit or forever. */
function play(c: ContainerSim, ctx: StageContext) {
  const now = ctx.env.now();
  for (let guard = 0; guard < 10_000 && c.program; guard++) {
    const next = c.program.next();
    if (next.done) return exit(c, ctx, 0);
    const effect = next.value;
    if (effect.type === 'log') ctx.env.logs.append(ctx.sim.uid, c.spec.name, now, effect.line);
    else if (effect.type === 'sleep') {
      c.dueAt = now + effect.ms;
      return;
    } else if (effect.type === 'exit') return exit(c, ctx, effect.code);
    else {
      c.dueAt = undefined;
      return;
    }
  }
  c.dueAt = now + 1000;
}

function shouldRestart(c: ContainerSim, ctx: StageContext, code: number): boolean {
  const policy = ctx.sim.pod.spec.restartPolicy ?? 'Always';
  if (c.isSidecar) return true;
  if (c.stopReason === 'liveness' || c.stopReason === 'startup') return policy !== 'Never';
  if (c.isInit) return policy !== 'Never' && code !== 0;
  return policy === 'Always' || (policy === 'OnFailure' && code !== 0);
}

function exit(c: ContainerSim, ctx: StageContext, code: number) {
  const now = ctx.env.now();
  const terminated = {
    exitCode: code,
    reason: code === 0 ? 'Completed' : 'Error',
    startedAt: c.status.state.running?.startedAt ?? toTime(c.runningSince),
    finishedAt: toTime(now),
    ...(c.status.containerID ? { containerID: c.status.containerID } : {}),
  };
  c.status.state = { terminated };
  c.status.ready = false;
  c.status.started = false;
  c.program = undefined;
  c.probes = {};
  ctx.env.logs.end(ctx.sim.uid, c.spec.name);
  const wasKilledByKubelet = c.stopReason === 'delete' || c.stopReason === 'deadline';
  const restart = !ctx.sim.isTerminating && !wasKilledByKubelet && shouldRestart(c, ctx, code);
  c.stopReason = undefined;
  if (!restart) {
    c.step = 'exited';
    c.dueAt = undefined;
    return;
  }
  if (now - c.runningSince >= backoffResetMs) c.backoffLevel = 0;
  const delay = restartDelayMs(c.backoffLevel);
  c.backoffLevel++;
  // The terminated state stays visible for a second (`Error` / `Completed` in kubectl) before the
  // back-off or the next start.
  c.restartAt = now + Math.max(delay, 1000);
  c.step = 'crash-backoff';
  c.dueAt = delay > 1000 ? now + 1000 : c.restartAt;
}

function crashBackoff(c: ContainerSim, ctx: StageContext) {
  const now = ctx.env.now();
  if (c.restartAt !== undefined && now < c.restartAt) {
    const terminated = c.status.state.terminated;
    if (terminated) c.status.lastState = { terminated };
    // The delay chosen at exit: level was raised right after it was read.
    const message = crashLoopMessage(restartDelayMs(c.backoffLevel - 1), c.spec.name, describePod(ctx.sim));
    c.status.state = { waiting: { reason: 'CrashLoopBackOff', message } };
    emit(c, ctx, kubeletEvents.backOff(c.spec.name, describePod(ctx.sim)));
    c.dueAt = c.restartAt;
    return;
  }
  const terminated = c.status.state.terminated;
  if (terminated) c.status.lastState = { terminated };
  c.status.restartCount++;
  c.restartAt = undefined;
  ctx.env.logs.restart(ctx.sim.uid, c.spec.name);
  emit(c, ctx, kubeletEvents.alreadyPresent(c.spec.image ?? ''));
  createContainer(c, ctx);
}

/** The stop finished: the container exits with the code its stop chose. */
function finishStop(c: ContainerSim, ctx: StageContext) {
  exit(c, ctx, c.stopExitCode ?? 137);
}

export const containerStages: Readonly<Record<ContainerStep, Stage>> = {
  pending: startPull,
  pulling: finishPull,
  'pull-error': failPull,
  'pull-backoff': pullBackoff,
  'config-error': createContainer,
  running: play,
  stopping: finishStop,
  'crash-backoff': crashBackoff,
  exited: () => {},
};
