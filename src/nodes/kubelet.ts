/**
 * The pod side of one simulated kubelet: admits the pods bound to its node, drives each through
 * pod-sim.ts on the shared timer wheel, writes status through `updateStatus` when it changed, and
 * finishes graceful deletion by deleting the pod with gracePeriodSeconds=0, as a real kubelet does.
 * Status writes wait their turn in the shared write queue (write-queue.ts) and render the pod's
 * latest status when they run, as the kubelet's status manager only sends the newest status.
 */

import type { KubeClient } from '../client/types.ts';
import type { Clock } from '../controllers/runtime/clock.ts';
import type { EventRecorder } from '../events/recorder.ts';
import { isStatusError } from '../status.ts';
import type { Pod } from './api-types.ts';
import type { ObjectLookup } from './container-sim/container-env.ts';
import { createIPPool } from './ip-pool.ts';
import type { LogStore } from './log-store.ts';
import { advancePod, createPodSim, hasNoRunningContainers, terminatePod } from './pod-sim.ts';
import { podRef } from './refs.ts';
import { restorePodSim, wasRunning } from './restore-pod.ts';
import type { PodSim, SimEnv, Timings } from './sim-types.ts';
import { renderPodStatus } from './status/pod-status.ts';
import type { TimerWheel } from './timer-wheel.ts';
import type { WriteQueue } from './write-queue.ts';

export interface KubeletDeps {
  nodeName: string;
  hostIP: string;
  podCIDR: string;
  client: KubeClient;
  clock: Clock;
  wheel: TimerWheel;
  recorder: EventRecorder;
  logs: LogStore;
  lookup: ObjectLookup;
  timings: Timings;
  newContainerID(): string;
  writes: WriteQueue;
}

export interface Kubelet {
  syncPod(pod: Readonly<Pod>): void;
  forgetPod(pod: Readonly<Pod>): void;
  /** The simulation of a pod by uid, for the logs interface. */
  podSim(uid: string): PodSim | undefined;
  /** Ends a running container's program with `exitCode` (the shell `kubectl run -it` attached to exited). */
  endProgram(uid: string, container: string, exitCode: number): void;
  stop(): void;
}

interface Tracked {
  sim: PodSim;
  cancelWake?: () => void;
  lastWritten?: string;
  /** Another writer set a terminal phase the simulation did not reach: no status writes any more. */
  isTerminalInAPI?: boolean;
  isWriting: boolean;
  isDirty: boolean;
  /** A status write for this pod waits in the write queue. */
  isQueued?: boolean;
  isDeleting: boolean;
  isIPReleased?: boolean;
}

const isTerminal = (pod: Readonly<Pod>) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export function createKubelet(deps: KubeletDeps): Kubelet {
  const api = deps.client.resource(podRef);
  const tracked = new Map<string, Tracked>();
  const ips = createIPPool(deps.podCIDR);
  let isStopped = false;
  const env: SimEnv = {
    now: () => deps.clock.now(),
    timings: deps.timings,
    event: (sim, [type, reason, message], fieldPath) =>
      deps.recorder.event({ ...sim.pod, apiVersion: 'v1', kind: 'Pod' }, type, reason, message, fieldPath),
    logs: deps.logs,
    lookup: deps.lookup,
    hostIP: deps.hostIP,
    images: new Set(),
    newContainerID: deps.newContainerID,
  };

  function run(entry: Tracked) {
    if (isStopped) return;
    entry.cancelWake?.();
    entry.cancelWake = undefined;
    const wake = advancePod(entry.sim, env);
    if (wake !== undefined) entry.cancelWake = deps.wheel.at(wake, () => run(entry));
    requestWrite(entry);
  }

  /** Queues one status write for the pod; changes made before it runs ride along in it. */
  function requestWrite(entry: Tracked) {
    if (entry.isQueued || isStopped) return;
    entry.isQueued = true;
    deps.writes
      .enqueue('status', () => {
        entry.isQueued = false;
        return writeStatus(entry);
      })
      .catch(() => {
        entry.isQueued = false;
      });
  }

  async function writeStatus(entry: Tracked): Promise<void> {
    if (entry.isWriting) {
      entry.isDirty = true;
      return;
    }
    const { sim } = entry;
    const status = renderPodStatus(sim, deps.hostIP, deps.clock.now());
    const text = JSON.stringify(status);
    // A finished pod keeps its IP in status, but the address goes back to the pool, as the sandbox
    // is torn down; otherwise a node running many Jobs would run out of its /24.
    if ((status.phase === 'Succeeded' || status.phase === 'Failed') && !entry.isIPReleased) {
      entry.isIPReleased = true;
      if (sim.podIP && sim.podIP !== deps.hostIP) ips.release(sim.podIP);
    }
    const isFinished = sim.isTerminating && hasNoRunningContainers(sim);
    const isStatusDue = text !== entry.lastWritten && !entry.isTerminalInAPI;
    if (!isStatusDue && !(isFinished && !entry.isDeleting)) return;
    entry.isWriting = true;
    try {
      if (isStatusDue) {
        const written = await updateStatusWithRetry(sim, status);
        if (written === 'conflicted') {
          // Still ours but others kept writing it: not written, so try again from the queue (marking it
          // written would leave the pod's status stale, e.g. never Ready, until its next change).
          entry.isDirty = true;
        } else {
          if (written !== 'replaced') sim.pod = written;
          entry.lastWritten = text;
        }
      }
      if (isFinished && !entry.isDeleting) {
        entry.isDeleting = true;
        await deletePod(sim.pod);
      }
    } catch (err) {
      if (!isStopped && !(isStatusError(err) && err.code === 404))
        console.error(`kubelet ${deps.nodeName}: status write failed:`, err);
    } finally {
      entry.isWriting = false;
    }
    if (entry.isDirty && !isStopped) {
      entry.isDirty = false;
      requestWrite(entry);
    }
  }

  /**
   * A Conflict means someone else wrote the pod (scheduler, a controller): re-read and write again.
   * 'replaced': the name now holds another pod; 'conflicted': still ours, but every attempt lost a race.
   */
  async function updateStatusWithRetry(sim: PodSim, status: Pod['status']): Promise<Pod | 'replaced' | 'conflicted'> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await api.updateStatus({ ...sim.pod, status } as Pod);
      } catch (err) {
        if (!(isStatusError(err) && err.code === 409)) throw err;
        const latest = await api.get(sim.pod.metadata.name ?? '', sim.pod.metadata.namespace);
        if (latest.metadata.uid !== sim.uid) return 'replaced';
        sim.pod = latest;
        status = renderPodStatus(sim, deps.hostIP, deps.clock.now());
      }
    }
    return 'conflicted';
  }

  async function deletePod(pod: Readonly<Pod>) {
    try {
      await api.delete(pod.metadata.name ?? '', pod.metadata.namespace, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid ?? '' },
      });
    } catch (err) {
      if (!(isStatusError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  function admit(pod: Readonly<Pod>): Tracked {
    const isAdopted = wasRunning(pod);
    // An adopted pod passed admission in the run of wharf that started it.
    const admitted = isAdopted
      ? []
      : [...tracked.values()].filter((t) => !t.sim.rejected && !isTerminal(t.sim.pod)).map((t) => t.sim.pod);
    const previousIP = pod.status?.podIP;
    let podIP: string | undefined;
    if (pod.spec.hostNetwork) podIP = deps.hostIP;
    else if (isAdopted && previousIP && ips.reserve(previousIP)) podIP = previousIP;
    else podIP = ips.allocate();
    // The informer's copy is shared with other handlers and never modified here, so it is not copied.
    const sim = createPodSim(pod as Pod, env, admitted, podIP);
    if (isAdopted) restorePodSim(sim, env);
    const entry: Tracked = { sim, isWriting: false, isDirty: false, isDeleting: false };
    tracked.set(sim.uid, entry);
    return entry;
  }

  return {
    syncPod(pod) {
      if (isStopped) return;
      const uid = pod.metadata.uid ?? '';
      let entry = tracked.get(uid);
      if (!entry) {
        // Pods this kubelet never ran (or ran before a restart of wharf) and that are finished or
        // being deleted are only cleaned up.
        if (pod.metadata.deletionTimestamp) {
          void deletePod(pod).catch(() => undefined);
          return;
        }
        if (isTerminal(pod)) return;
        entry = admit(pod);
      } else {
        // Our own status write coming back through the watch: the pod already holds it.
        if (pod.metadata.resourceVersion === entry.sim.pod.metadata.resourceVersion) return;
        // Someone else changed the status (the node lifecycle controller marks pods not Ready when the
        // node stops heartbeating): forget what we wrote, so the next write puts our view back, as the
        // kubelet's status manager reconciles the API's copy with its own.
        if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
          // A terminal phase set by someone else stands: a kubelet never moves a pod out of one.
          entry.isTerminalInAPI = !isTerminal(entry.sim.pod);
        } else if (entry.lastWritten !== undefined && JSON.stringify(pod.status) !== entry.lastWritten) {
          entry.lastWritten = undefined;
        }
        entry.sim.pod = pod as Pod;
      }
      if (pod.metadata.deletionTimestamp && !entry.sim.isTerminating) terminatePod(entry.sim, env);
      run(entry);
    },
    forgetPod(pod) {
      const uid = pod.metadata.uid ?? '';
      const entry = tracked.get(uid);
      if (!entry) return;
      entry.cancelWake?.();
      if (!entry.isIPReleased && entry.sim.podIP && entry.sim.podIP !== deps.hostIP) ips.release(entry.sim.podIP);
      tracked.delete(uid);
      deps.logs.removePod(uid);
    },
    podSim: (uid) => tracked.get(uid)?.sim,
    endProgram(uid, name, exitCode) {
      const entry = tracked.get(uid);
      const c = entry?.sim.containers.find((x) => x.spec.name === name);
      if (!entry || !c || c.step !== 'running') return;
      c.program = (function* () {
        yield { type: 'exit' as const, code: exitCode };
      })();
      c.dueAt = env.now();
      run(entry);
    },
    stop() {
      isStopped = true;
      for (const entry of tracked.values()) entry.cancelWake?.();
    },
  };
}
