/**
 * Stopping a container on the kubelet's initiative (deletion, activeDeadlineSeconds, a failed
 * liveness or startup probe): the preStop hook runs, then SIGTERM, then SIGKILL when the grace
 * period ends. The `stopping` stage in container-stages.ts completes it.
 */
import { toProgram } from '../container-sim/program.ts';
import { runProgram } from '../container-sim/run-program.ts';
import type { ContainerSim } from '../sim-types.ts';
import { kubeletEvents } from '../status/kubelet-events.ts';
import { emit, type StageContext } from './stage-context.ts';

/** How long the preStop hook takes: its sleep action, or the sleeps of its simulated exec command. */
function preStopDurationMs(c: ContainerSim, ctx: StageContext): number {
  const hook = c.spec.lifecycle?.preStop;
  if (hook?.sleep) return hook.sleep.seconds * 1000;
  const command = hook?.exec?.command;
  if (!command?.length) return 0;
  const program = toProgram({ name: c.spec.name, command }, new Map());
  const context = {
    env: new Map<string, string>(),
    hostname: ctx.sim.pod.metadata.name ?? '',
    files: new Map<string, string>(),
    now: ctx.env.now,
  };
  let total = 0;
  let steps = 0;
  for (const effect of runProgram(program, context)) {
    if (effect.type === 'sleep') total += effect.ms;
    if (effect.type === 'exit' || effect.type === 'forever' || ++steps > 1000) break;
  }
  return total;
}

/**
 * Starts stopping a container: a server exits on SIGTERM almost at once with 0; a script (PID 1
 * shells and `sleep` ignore SIGTERM) is killed when the grace period ends, exit code 137. A preStop
 * sleep runs first, within the grace period.
 */
export function stopContainer(c: ContainerSim, ctx: StageContext, reason: NonNullable<ContainerSim['stopReason']>) {
  const now = ctx.env.now();
  if (c.step !== 'running') {
    if (c.step !== 'stopping') {
      c.step = 'exited';
      c.dueAt = undefined;
    }
    return;
  }
  if (reason === 'delete' || reason === 'deadline') emit(c, ctx, kubeletEvents.killing(c.spec.name));
  const pod = ctx.sim.pod;
  const graceMs =
    (reason === 'delete'
      ? (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30)
      : (pod.spec.terminationGracePeriodSeconds ?? 30)) * 1000;
  const preStopMs = Math.min(preStopDurationMs(c, ctx), graceMs);
  c.stopReason = reason;
  c.step = 'stopping';
  c.program = undefined;
  c.stopExitCode = c.isServer ? 0 : 137;
  c.dueAt = now + (c.isServer ? Math.min(preStopMs + ctx.env.timings.serverStopMs, graceMs) : graceMs);
}
