/**
 * The Job controller (kube-controller-manager's job controller): runs pods until the Job's
 * completions are reached or it fails (backoffLimit, activeDeadlineSeconds, podFailurePolicy), in
 * NonIndexed or Indexed mode, honouring parallelism and suspend. Finished pods are counted through the
 * batch.kubernetes.io/job-tracking finalizer: a pod's UID goes to status.uncountedTerminatedPods
 * first, then its finalizer is removed, then it moves to succeeded/failed — so a pod is counted once
 * even across restarts and lost writes.
 */
import { jobs as jobsRef, pods as podsRef } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import { labelSelectorFromSpec } from '../../selectors/index.ts';
import { isStatusError } from '../../status.ts';
import { createExpectations } from '../pod-control/expectations.ts';
import {
  byControllerUID,
  claim,
  controllerOf,
  controllerUIDIndex,
  orphanIndex,
  orphansByNamespace,
} from '../pod-control/owner.ts';
import { isPodReady } from '../pod-control/pod-state.ts';
import { slowStartBatch } from '../pod-control/slow-start.ts';
import type { Pod } from '../pod-control/types.ts';
import { byNamespace, keyOf, splitKey } from '../runtime/cache.ts';
import { type Clock, realClock, toTime } from '../runtime/clock.ts';
import type { Informer } from '../runtime/informer.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { formatIndexes, parseIndexes } from './completed-indexes.ts';
import { recordedVerdict, terminalTypeOf, type Verdict, withCondition } from './job-conditions.ts';
import { completionIndexOf, jobPod, jobTrackingFinalizer } from './job-pod.ts';
import {
  failureBackoffMs,
  finishTimeOf,
  indexesToStart,
  isPastDeadline,
  type Progress,
  verdictOf,
  wantedActive,
} from './job-progress.ts';
import { type EffectiveJobSpec, effectiveSpec, finishedCondition } from './job-spec.ts';
import { canonicalStatus, sameJobStatus } from './job-status.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import type { Job, JobStatus } from './types.ts';

/** kube-controller-manager's job controller burst: at most this many pod creates per sync. */
export const maxPodCreatesPerSync = 500;

export interface JobControllerDeps {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
  recorder?: EventRecorder;
}

const isTerminal = (p: Readonly<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
/** Work-queue keys of orphaned pods whose tracking finalizer must go, beside the Jobs' own keys. */
const orphanPodPrefix = 'orphan-pod:';
const hasTracking = (p: Readonly<Pod>) => p.metadata.finalizers?.includes(jobTrackingFinalizer) === true;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A pod that counts as failed (isPodFailed): Failed, or — unless terminating pods are only replaced
 * once failed — being deleted without having succeeded, because an orphaned pod may never reach Failed.
 */
export function isPodFailed(pod: Readonly<Pod>, spec: EffectiveJobSpec): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (spec.replaceOnlyFailed) return false;
  return Boolean(pod.metadata.deletionTimestamp) && pod.status?.phase !== 'Succeeded';
}

export function jobController(d: JobControllerDeps): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const recorder = d.recorder ?? createEventRecorder(d.client, { component: 'job-controller' }, () => clock.now());
  const queue = createWorkQueue({ clock });
  const expectations = createExpectations(clock);
  const jobInformer: Informer<Job> = d.informers.informerFor(jobsRef);
  const podInformer: Informer<Pod> = d.informers.informerFor(podsRef);
  podInformer.addIndex(byControllerUID, controllerUIDIndex);
  podInformer.addIndex(orphansByNamespace, orphanIndex);
  jobInformer.addIndex('namespace', byNamespace);
  const api = d.client.resource(jobsRef);
  const podApi = d.client.resource(podsRef);

  const ownerKeyOf = (pod: Readonly<Pod>) => {
    const ref = controllerOf(pod);
    return ref?.kind === 'Job' && ref.apiVersion === 'batch/v1' ? `${pod.metadata.namespace}/${ref.name}` : undefined;
  };
  // A pod still holding the tracking finalizer after its Job is gone (deleted, e.g. with its namespace)
  // would never be removed: like kube's orphan-pod queue, release it under a key of its own.
  const isOrphan = (pod: Readonly<Pod>) => {
    const ref = controllerOf(pod);
    const job = ref?.kind === 'Job' ? jobInformer.getByName(pod.metadata.namespace, ref.name) : undefined;
    return !job || job.metadata.uid !== ref?.uid;
  };
  const enqueueIfOrphan = (pod: Readonly<Pod>) => {
    if (hasTracking(pod) && isOrphan(pod)) queue.add(`${orphanPodPrefix}${keyOf(pod)}`);
    // A pod without a controller may be adopted by a Job whose selector matches it.
    if (controllerOf(pod)) return;
    for (const j of jobInformer.byIndex('namespace', pod.metadata.namespace ?? '')) {
      if (j.spec?.selector && labelSelectorFromSpec(j.spec.selector).matches(pod.metadata.labels)) queue.add(keyOf(j));
    }
  };
  jobInformer.addHandlers({
    onAdd: (j) => queue.add(keyOf(j)),
    onUpdate: (_old, j) => queue.add(keyOf(j)),
    onDelete: (j) => {
      queue.add(keyOf(j));
      for (const pod of podInformer.byIndex(byControllerUID, j.metadata.uid ?? '')) enqueueIfOrphan(pod);
    },
  });
  podInformer.addHandlers({
    onAdd(pod) {
      enqueueIfOrphan(pod);
      const key = ownerKeyOf(pod);
      if (!key) return;
      expectations.creationObserved(key);
      queue.add(key);
    },
    onUpdate(_old, pod) {
      enqueueIfOrphan(pod);
      const key = ownerKeyOf(pod);
      if (key) queue.add(key);
    },
    onDelete(pod) {
      const key = ownerKeyOf(pod);
      if (key) queue.add(key);
    },
  });

  async function removeTracking(pods: readonly Readonly<Pod>[]): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer);
        try {
          await podApi.patch(pod.metadata.name ?? '', pod.metadata.namespace, 'merge', { metadata: { finalizers } });
        } catch (err) {
          if (!(isStatusError(err) && err.code === 404)) throw err;
        }
      }),
    );
  }

  async function deletePods(job: Readonly<Job>, pods: readonly Readonly<Pod>[]): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await podApi.delete(pod.metadata.name ?? '', pod.metadata.namespace);
          recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          if (isStatusError(err) && err.code === 404) return;
          recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(err)}`);
          throw err;
        }
      }),
    );
  }

  async function createPods(job: Readonly<Job>, key: string, indexes: (number | undefined)[]): Promise<void> {
    expectations.expectCreations(key, indexes.length);
    let next = 0;
    const result = await slowStartBatch(indexes.length, 1, async () => {
      const index = indexes[next++];
      try {
        const created = await podApi.create(jobPod(job, index));
        recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (err) {
        recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${messageOf(err)}`);
        throw err;
      }
    });
    for (let i = result.successes; i < indexes.length; i++) expectations.creationObserved(key);
    if (result.error !== undefined) throw result.error;
  }

  async function writeStatus(job: Readonly<Job>, status: JobStatus): Promise<Job> {
    return api.updateStatus({ ...job, status: canonicalStatus(status) } as Job);
  }

  /** Creates or deletes pods so the right number runs; returns ms until it should look again, if any. */
  async function manage(
    job: Readonly<Job>,
    key: string,
    spec: EffectiveJobSpec,
    progress: Progress,
    active: readonly Readonly<Pod>[],
    pods: readonly Readonly<Pod>[],
  ): Promise<{ deleted: number; retryInMs?: number }> {
    const want = wantedActive(spec, progress);
    if (active.length > want) {
      // Newest first, so the pods that have run longest keep running.
      const doomed = [...active]
        .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
        .slice(0, active.length - want);
      await deletePods(job, doomed);
      return { deleted: doomed.length };
    }
    const missing = Math.min(want - active.length, maxPodCreatesPerSync);
    if (missing <= 0 || !expectations.isSatisfied(key)) return { deleted: 0 };
    const retryInMs = backoffRemaining(pods, spec);
    if (retryInMs > 0) return { deleted: 0, retryInMs };
    const indexes: (number | undefined)[] = spec.isIndexed
      ? indexesToStart(
          spec.completions ?? 0,
          progress.completedIndexes,
          new Set(active.map(completionIndexOf).filter((i) => i !== undefined)),
          missing,
        )
      : Array.from({ length: missing }, () => undefined);
    await createPods(job, key, indexes);
    return { deleted: 0 };
  }

  /** The growing retry delay: 10 s × 2^(failures since the last success − 1) after the last failure. */
  function backoffRemaining(pods: readonly Readonly<Pod>[], spec: EffectiveJobSpec): number {
    const lastSuccess = Math.max(
      0,
      ...pods.filter((p) => p.status?.phase === 'Succeeded').map((p) => finishTimeOf(p) ?? 0),
    );
    const failures = pods.filter((p) => isPodFailed(p, spec)).map((p) => finishTimeOf(p) ?? 0);
    const recent = failures.filter((t) => t > lastSuccess);
    if (!recent.length) return 0;
    return Math.max(...recent) + failureBackoffMs(recent.length) - clock.now();
  }

  async function reconcile(key: string): Promise<void> {
    if (key.startsWith(orphanPodPrefix)) {
      const pod = podInformer.get(key.slice(orphanPodPrefix.length));
      if (pod && hasTracking(pod) && isOrphan(pod)) await removeTracking([pod]);
      return;
    }
    let job = jobInformer.get(key);
    if (!job) {
      expectations.forget(key);
      return;
    }
    const now = clock.now();
    const nowTime = toTime(now);
    const spec = effectiveSpec(job);
    const owned = podInformer.byIndex(byControllerUID, job.metadata.uid ?? '');
    // Orphans matching the selector (which carries the Job's controller-uid unless manualSelector) are
    // adopted, as getPodsForJob claims them; a finished Job adopts nothing.
    const selector = job.spec?.selector;
    const pods: readonly Readonly<Pod>[] =
      selector && !finishedCondition(job)
        ? await claim<Pod>({
            owner: job,
            selector: labelSelectorFromSpec(selector),
            owned,
            orphans: podInformer.byIndex(orphansByNamespace, job.metadata.namespace ?? ''),
            api: podApi,
            canAdopt: async () => {
              const { namespace, name } = splitKey(key);
              const fresh = await api.get(name, namespace);
              return fresh.metadata.uid === job?.metadata.uid && !fresh.metadata.deletionTimestamp;
            },
          })
        : owned;
    const status: JobStatus = structuredClone(job.status ?? {}) as JobStatus;
    const alreadyDecided = Boolean(finishedCondition(job) || recordedVerdict(status.conditions));

    // 1. Finished pods still holding our finalizer: record their UIDs as uncounted before releasing them.
    const uncountedSucceeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
    const uncountedFailed = new Set(status.uncountedTerminatedPods?.failed ?? []);
    const released: Readonly<Pod>[] = [];
    let policyFailure: string | undefined;
    let newlyUncounted = false;
    for (const pod of pods.filter(hasTracking)) {
      const uid = pod.metadata.uid ?? '';
      if (uncountedSucceeded.has(uid) || uncountedFailed.has(uid)) {
        released.push(pod);
        continue;
      }
      const failed = isPodFailed(pod, spec);
      if (!failed && pod.status?.phase !== 'Succeeded') continue;
      released.push(pod);
      if (alreadyDecided) continue;
      const match = failed ? matchPodFailurePolicy(job, pod) : undefined;
      if (match?.action === 'Ignore') continue;
      if (match?.action === 'FailJob') policyFailure ??= match.message;
      (failed ? uncountedFailed : uncountedSucceeded).add(uid);
      newlyUncounted = true;
    }
    if (newlyUncounted) {
      status.uncountedTerminatedPods = { succeeded: [...uncountedSucceeded], failed: [...uncountedFailed] };
      job = await writeStatus(job, status);
      status.conditions = job.status?.conditions ?? status.conditions;
    }
    await removeTracking(released);

    // 2. Released pods move into the counters.
    const completedIndexes = spec.isIndexed
      ? parseIndexes(status.completedIndexes, spec.completions ?? 0)
      : new Set<number>();
    const byUID = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
    for (const uid of uncountedSucceeded) {
      const pod = byUID.get(uid);
      const index = pod && spec.isIndexed ? completionIndexOf(pod) : undefined;
      if (spec.isIndexed) {
        if (index !== undefined && index < (spec.completions ?? 0)) completedIndexes.add(index);
      }
      status.succeeded = (status.succeeded ?? 0) + 1;
    }
    status.failed = (status.failed ?? 0) + uncountedFailed.size;
    if (spec.isIndexed) {
      status.succeeded = completedIndexes.size;
      const formatted = formatIndexes(completedIndexes);
      if (formatted) status.completedIndexes = formatted;
      else delete status.completedIndexes;
    }
    status.uncountedTerminatedPods = {};

    // 3. Decide, then act.
    let active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    let terminating = pods.filter((p) => !isTerminal(p) && p.metadata.deletionTimestamp).length;
    if (!status.startTime && !spec.isSuspended) status.startTime = nowTime;
    const startTime = status.startTime ? Date.parse(status.startTime) : undefined;
    const progress: Progress = {
      succeeded: status.succeeded ?? 0,
      failed: status.failed ?? 0,
      completedIndexes,
      active: active.length,
      terminating,
    };
    let retryInMs: number | undefined;
    let verdict: Verdict | undefined = recordedVerdict(status.conditions);
    if (!finishedCondition(job)) {
      if (!verdict) {
        verdict = verdictOf(spec, progress, { ...(policyFailure ? { policyFailure } : {}), startTime, now });
        if (verdict) {
          status.conditions = withCondition(
            status.conditions,
            verdict.type,
            'True',
            verdict.reason,
            verdict.message,
            nowTime,
          );
        }
      }
      if (verdict) {
        await deletePods(job, active);
        terminating += active.length;
        active = [];
        if (terminating === 0) finish(job, status, verdict, nowTime);
      } else if (spec.isSuspended) {
        await deletePods(job, active);
        terminating += active.length;
        active = [];
        if (status.conditions?.find((c) => c.type === 'Suspended')?.status !== 'True') {
          status.conditions = withCondition(
            status.conditions,
            'Suspended',
            'True',
            'JobSuspended',
            'Job suspended',
            nowTime,
          );
          recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
        }
      } else {
        if (status.conditions?.find((c) => c.type === 'Suspended')?.status === 'True') {
          status.conditions = withCondition(
            status.conditions,
            'Suspended',
            'False',
            'JobResumed',
            'Job resumed',
            nowTime,
          );
          status.startTime = nowTime;
          recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
        }
        const outcome = await manage(job, key, spec, progress, active, pods);
        retryInMs = outcome.retryInMs;
        if (outcome.deleted) {
          active = active.slice(0, active.length - outcome.deleted);
          terminating += outcome.deleted;
        }
      }
    }
    status.active = active.length;
    status.ready = active.filter(isPodReady).length;
    status.terminating = terminating;
    if (!sameJobStatus(job.status, status)) await writeStatus(job, status);

    if (retryInMs !== undefined) queue.addAfter(key, retryInMs);
    if (!verdict && startTime !== undefined && spec.activeDeadlineSeconds !== undefined && !spec.isSuspended) {
      const deadline = startTime + spec.activeDeadlineSeconds * 1000;
      if (!isPastDeadline(spec, startTime, now)) queue.addAfter(key, deadline - now);
    }
  }

  function finish(job: Readonly<Job>, status: JobStatus, verdict: Verdict, nowTime: string): void {
    const type = terminalTypeOf(verdict);
    status.conditions = withCondition(status.conditions, type, 'True', verdict.reason, verdict.message, nowTime);
    if (type === 'Complete') {
      status.completionTime = nowTime;
      recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      recorder.event(job, 'Warning', verdict.reason, verdict.message);
    }
  }

  return { name: 'job', queue, workers: 5, reconcile };
}
