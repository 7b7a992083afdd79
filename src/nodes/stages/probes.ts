/**
 * Probe outcomes planned when a container starts. Exec probes run the simulated command (exit 0
 * passes); httpGet, tcpSocket and grpc pass unless the pod annotation
 * `sim.wharf.dev/probe-fail` names the probe (`readiness`, `liveness`, `startup`, comma-separated).
 * A probe first runs after initialDelaySeconds; a failing one acts after failureThreshold periods.
 */
import type { Probe } from '../api-types.ts';
import { commandEffects } from '../container-sim/exec-command.ts';
import type { ContainerSim, PodSim, ProbePlan } from '../sim-types.ts';

export const probeFailAnnotation = 'sim.wharf.dev/probe-fail';

type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** The failure text the kubelet prints after `<Kind> probe failed: `. */
function failureOutput(probe: Probe, sim: PodSim, output: string): string {
  const ip = sim.podIP ?? '';
  if (probe.exec) return output;
  if (probe.httpGet) return 'HTTP probe failed with statuscode: 500';
  if (probe.tcpSocket) return `dial tcp ${ip}:${probe.tcpSocket.port}: connect: connection refused`;
  if (probe.grpc) return `timeout: failed to connect service ":${probe.grpc.port}" within 1s`;
  return '';
}

/** Runs an exec probe's command once: its status and output. Sleeps take no simulated time. */
function execOutcome(command: readonly string[], env: ReadonlyMap<string, string>, hostname: string, now: number) {
  const lines: string[] = [];
  let steps = 0;
  for (const effect of commandEffects(command, { env, hostname, files: new Map(), now: () => now })) {
    if (effect.type === 'log') lines.push(effect.line);
    if (effect.type === 'exit') return { passes: effect.code === 0, output: lines.join('\n') };
    if (effect.type === 'forever' || ++steps > 100) break;
  }
  return { passes: false, output: 'command timed out' };
}

export function probePasses(
  kind: ProbeKind,
  probe: Probe,
  sim: PodSim,
  env: ReadonlyMap<string, string>,
  now: number,
): { passes: boolean; output: string } {
  const forced = (sim.pod.metadata.annotations?.[probeFailAnnotation] ?? '').split(',').map((s) => s.trim());
  if (forced.includes(kind)) {
    const output = probe.exec ? 'command exited with code 1' : '';
    return { passes: false, output: failureOutput(probe, sim, output) };
  }
  if (probe.exec?.command) {
    const outcome = execOutcome(probe.exec.command, env, sim.pod.metadata.name ?? '', now);
    return { passes: outcome.passes, output: failureOutput(probe, sim, outcome.output) };
  }
  return { passes: true, output: '' };
}

const seconds = (n: number | undefined, fallback: number) => (n ?? fallback) * 1000;

/** Plans started/ready times and any kill for a container that started at `startedAt`. */
export function planProbes(
  container: ContainerSim,
  sim: PodSim,
  env: ReadonlyMap<string, string>,
  startedAt: number,
): ProbePlan {
  const { startupProbe, readinessProbe, livenessProbe } = container.spec;
  const plan: ProbePlan = {};
  let started = startedAt;
  if (startupProbe) {
    const outcome = probePasses('startup', startupProbe, sim, env, startedAt);
    if (!outcome.passes) {
      plan.killAt =
        startedAt +
        seconds(startupProbe.initialDelaySeconds, 0) +
        seconds(startupProbe.periodSeconds, 10) * (startupProbe.failureThreshold ?? 3);
      plan.killProbe = 'startup';
      plan.unhealthyMessage = `Startup probe failed: ${outcome.output}`;
      return plan;
    }
    started += seconds(startupProbe.initialDelaySeconds, 0);
  }
  plan.startedAt = started;
  if (readinessProbe) {
    const outcome = probePasses('readiness', readinessProbe, sim, env, started);
    const firstAt = started + seconds(readinessProbe.initialDelaySeconds, 0);
    if (outcome.passes) plan.readyAt = firstAt;
    else {
      plan.unhealthyAt = firstAt;
      plan.unhealthyMessage = `Readiness probe failed: ${outcome.output}`;
    }
  } else {
    plan.readyAt = started;
  }
  if (livenessProbe) {
    const outcome = probePasses('liveness', livenessProbe, sim, env, started);
    if (!outcome.passes) {
      plan.killAt =
        started +
        seconds(livenessProbe.initialDelaySeconds, 0) +
        seconds(livenessProbe.periodSeconds, 10) * (livenessProbe.failureThreshold ?? 3);
      plan.killProbe = 'liveness';
      plan.unhealthyMessage = `Liveness probe failed: ${outcome.output}`;
    }
  }
  return plan;
}

/** The readiness probe period, for repeating Unhealthy events. */
export function readinessPeriodMs(container: ContainerSim): number {
  return seconds(container.spec.readinessProbe?.periodSeconds, 10);
}
