/**
 * The in-memory state of simulated pods and containers, and the environment stages run in. The
 * kubelet's truth lives here; pod.status is rendered from it (status/pod-status.ts) and written
 * through the API.
 */
import type { Container, ContainerStatus, Pod } from './api-types.ts';
import type { ObjectLookup } from './container-sim/container-env.ts';
import type { Effect } from './container-sim/run-program.ts';
import type { LogStore } from './log-store.ts';
import type { KubeletEvent } from './status/kubelet-events.ts';

/** Where a container is in its life; each step has one stage in stages/container-stages.ts. */
export type ContainerStep =
  | 'pending'
  | 'pulling'
  | 'pull-error'
  | 'pull-backoff'
  | 'config-error'
  | 'running'
  | 'stopping'
  | 'crash-backoff'
  | 'exited';

export interface ProbePlan {
  /** When the startup probe first succeeds (the container counts as started). */
  startedAt?: number;
  /** When the readiness probe first succeeds; undefined while it keeps failing. */
  readyAt?: number;
  /** When a failing liveness or startup probe makes the kubelet kill the container. */
  killAt?: number;
  killProbe?: 'liveness' | 'startup';
  /** Next Unhealthy event for a readiness probe that keeps failing. */
  unhealthyAt?: number;
  unhealthyMessage?: string;
}

export interface ContainerSim {
  spec: Container;
  isInit: boolean;
  /** An init container with restartPolicy Always. */
  isSidecar: boolean;
  step: ContainerStep;
  /** When this container's current stage runs next; undefined: only an outside event moves it. */
  dueAt?: number;
  status: ContainerStatus;
  program?: Iterator<Effect>;
  runningSince: number;
  backoffLevel: number;
  pullBackoffLevel: number;
  probes: ProbePlan;
  /** The program is a server (no command): it exits promptly on SIGTERM. */
  isServer?: boolean;
  /** CrashLoopBackOff: when the next start happens. */
  restartAt?: number;
  /** Exit code the container ends with once its stop completes. */
  stopExitCode?: number;
  /** Set when the kubelet itself is stopping the container (deletion, deadline, failed probe). */
  stopReason?: 'delete' | 'deadline' | 'liveness' | 'startup';
}

export interface PodSim {
  uid: string;
  pod: Pod;
  podIP?: string;
  startTime: number;
  isSandboxReady: boolean;
  initContainers: ContainerSim[];
  containers: ContainerSim[];
  /** Admission refused the pod: phase Failed with this reason and message. */
  rejected?: { reason: string; message: string };
  deadlineExceeded?: boolean;
  isTerminating: boolean;
}

export interface Timings {
  /** How long pulling an image takes. */
  pullMs(image: string): number;
  /** How long a server (no command) takes to exit on SIGTERM. */
  serverStopMs: number;
  /** Recheck interval while a ConfigMap or Secret a container needs is missing. */
  configRetryMs: number;
  /**
   * From admission to the first container step (the pod sandbox and its network). Besides realism it
   * keeps the scheduler's Scheduled event, written just after the binding, ahead of the kubelet's
   * Pulling event, so `kubectl describe` lists them in the order a real cluster shows.
   */
  sandboxMs: number;
}

export const defaultTimings: Timings = {
  // 0.4–1.6 s, stable per image, so a first pull is visible in `kubectl get pods -w` but quick.
  pullMs: (image) => 400 + ([...image].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 1200),
  serverStopMs: 200,
  configRetryMs: 5000,
  sandboxMs: 250,
};

/** What stages may touch: time, events, logs, the node's image cache, referenced objects. */
export interface SimEnv {
  now(): number;
  timings: Timings;
  event(sim: PodSim, event: KubeletEvent, fieldPath?: string): void;
  logs: LogStore;
  lookup: ObjectLookup;
  hostIP: string;
  /** Images this node has pulled (IfNotPresent skips them). */
  images: Set<string>;
  newContainerID(): string;
}
