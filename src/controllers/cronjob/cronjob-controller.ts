/**
 * The CronJob controller (kube-controller-manager's cronjob controller v2): at each scheduled time
 * creates a Job `<cronjob>-<scheduled minutes since the epoch>` from spec.jobTemplate, honouring
 * timeZone, suspend, startingDeadlineSeconds and concurrencyPolicy; keeps status.active,
 * lastScheduleTime and lastSuccessfulTime; deletes finished Jobs beyond the history limits. It wakes
 * itself through the work queue at the next activation, so a fake clock drives it in tests.
 */
import { cronJobs, jobs as jobsRef } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { createEventRecorder, type EventRecorder } from '../../events/recorder.ts';
import { isStatusError } from '../../status.ts';
import { finishedCondition } from '../job/job-spec.ts';
import type { Job } from '../job/types.ts';
import { byControllerUID, controllerOf, controllerRefFor, controllerUIDIndex } from '../pod-control/owner.ts';
import { keyOf } from '../runtime/cache.ts';
import { type Clock, realClock, toTime } from '../runtime/clock.ts';
import type { Informer } from '../runtime/informer.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { CronParseError, nextActivation, parseCronSchedule } from './cron-schedule.ts';
import { jobsToPrune } from './history-limits.ts';
import { mostRecentScheduleTime, tooManyMissed } from './schedule-times.ts';
import { formatInZone, isKnownTimeZone } from './time-zone.ts';
import type { CronJob, CronJobStatus, ObjectReference } from './types.ts';

export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Job name for a scheduled time: minutes since the epoch, as getJobName does. */
export function jobNameFor(cronJob: Readonly<CronJob>, scheduledMs: number): string {
  return `${cronJob.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
}

/** The Job for one scheduled time (getJobFromTemplate2). */
export function jobFromCronJob(cronJob: Readonly<CronJob>, scheduledMs: number, timeZone: string): Job {
  const template = cronJob.spec?.jobTemplate ?? {};
  const annotations = { ...template.metadata?.annotations };
  annotations[scheduledTimestampAnnotation] = formatInZone(scheduledMs, timeZone);
  const metadata: Job['metadata'] = {
    name: jobNameFor(cronJob, scheduledMs),
    namespace: cronJob.metadata.namespace ?? '',
    annotations,
    ownerReferences: [controllerRefFor(cronJob)],
  };
  if (template.metadata?.labels) metadata.labels = { ...template.metadata.labels };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(template.spec ?? {}) };
}

const referenceTo = (job: Readonly<Job>): ObjectReference => ({
  kind: 'Job',
  namespace: job.metadata.namespace ?? '',
  name: job.metadata.name ?? '',
  uid: job.metadata.uid ?? '',
  apiVersion: 'batch/v1',
  resourceVersion: job.metadata.resourceVersion ?? '',
});

/** Go's RFC1123Z, the format of the MissSchedule message. */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const day = d.toUTCString().slice(0, 3);
  const date = String(d.getUTCDate()).padStart(2, '0');
  const rest = d.toUTCString().slice(8, 25);
  return `${day}, ${date} ${rest} +0000`;
}

export function cronJobController(d: {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
  recorder?: EventRecorder;
}): Controller & { reconcile(key: string): Promise<void> } {
  const clock = d.clock ?? realClock;
  const recorder = d.recorder ?? createEventRecorder(d.client, { component: 'cronjob-controller' }, () => clock.now());
  const queue = createWorkQueue({ clock });
  const cronJobInformer: Informer<CronJob> = d.informers.informerFor(cronJobs);
  const jobInformer: Informer<Job> = d.informers.informerFor(jobsRef);
  jobInformer.addIndex(byControllerUID, controllerUIDIndex);
  const api = d.client.resource(cronJobs);
  const jobApi = d.client.resource(jobsRef);

  const ownerKeyOf = (job: Readonly<Job>) => {
    const ref = controllerOf(job);
    return ref?.kind === 'CronJob' && ref.apiVersion === 'batch/v1'
      ? `${job.metadata.namespace}/${ref.name}`
      : undefined;
  };
  const enqueueOwner = (job: Readonly<Job>) => {
    const key = ownerKeyOf(job);
    if (key) queue.add(key);
  };
  cronJobInformer.addHandlers({
    onAdd: (c) => queue.add(keyOf(c)),
    onUpdate: (_old, c) => queue.add(keyOf(c)),
  });
  jobInformer.addHandlers({ onAdd: enqueueOwner, onUpdate: (_old, j) => enqueueOwner(j), onDelete: enqueueOwner });

  async function deleteJob(cronJob: Readonly<CronJob>, job: Readonly<Job>): Promise<void> {
    try {
      await jobApi.delete(job.metadata.name ?? '', job.metadata.namespace, { propagationPolicy: 'Background' });
      recorder.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return;
      recorder.event(cronJob, 'Warning', 'FailedDelete', `Deleted job: ${err instanceof Error ? err.message : err}`);
      throw err;
    }
  }

  /** Syncs status.active and lastSuccessfulTime with the Jobs that exist. */
  function reconcileActive(cronJob: Readonly<CronJob>, owned: readonly Readonly<Job>[], status: CronJobStatus): void {
    const byUID = new Map(owned.map((j) => [j.metadata.uid ?? '', j]));
    const active: ObjectReference[] = [];
    for (const ref of status.active ?? []) {
      const job = byUID.get(ref.uid ?? '');
      if (!job) {
        recorder.event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        continue;
      }
      const finished = finishedCondition(job);
      if (!finished) {
        active.push(ref);
        continue;
      }
      recorder.event(
        cronJob,
        'Normal',
        'SawCompletedJob',
        `Saw completed job: ${job.metadata.name}, condition: ${finished.type}`,
      );
    }
    for (const job of owned) {
      if (finishedCondition(job) || active.some((r) => r.uid === job.metadata.uid)) continue;
      active.push(referenceTo(job));
      recorder.event(
        cronJob,
        'Warning',
        'UnexpectedJob',
        `Saw a job that the controller did not create or forgot: ${job.metadata.name}`,
      );
    }
    for (const job of owned) {
      const completion = job.status?.completionTime;
      if (finishedCondition(job)?.type !== 'Complete' || !completion) continue;
      if (!status.lastSuccessfulTime || Date.parse(completion) > Date.parse(status.lastSuccessfulTime)) {
        status.lastSuccessfulTime = completion;
      }
    }
    if (active.length) status.active = active;
    else delete status.active;
  }

  /** Starts the Job due now, if any; returns the next activation to wake up for. */
  async function schedule(
    cronJob: Readonly<CronJob>,
    owned: readonly Readonly<Job>[],
    status: CronJobStatus,
  ): Promise<number | undefined> {
    const spec = cronJob.spec;
    if (!spec || cronJob.metadata.deletionTimestamp) return undefined;
    const timeZone = spec.timeZone ?? 'UTC';
    if (!isKnownTimeZone(timeZone)) {
      recorder.event(
        cronJob,
        'Warning',
        'UnknownTimeZone',
        `invalid timeZone: "${timeZone}": unknown time zone ${timeZone}`,
      );
      return undefined;
    }
    let parsed: ReturnType<typeof parseCronSchedule>;
    try {
      parsed = parseCronSchedule(spec.schedule);
    } catch (err) {
      if (!(err instanceof CronParseError)) throw err;
      recorder.event(
        cronJob,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: "${spec.schedule}" : ${err.message}`,
      );
      return undefined;
    }
    const now = clock.now();
    const next = nextActivation(parsed, now, timeZone);
    if (spec.suspend) return next;
    const lastScheduleTime = status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : undefined;
    const recent = mostRecentScheduleTime(parsed, timeZone, {
      ...(lastScheduleTime !== undefined ? { lastScheduleTime } : {}),
      createdAt: Date.parse(cronJob.metadata.creationTimestamp ?? '') || now,
      ...(spec.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: spec.startingDeadlineSeconds } : {}),
      now,
    });
    if (recent.missed > tooManyMissed) {
      recorder.event(
        cronJob,
        'Warning',
        'TooManyMissedTimes',
        `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
      );
    }
    const scheduled = recent.scheduled;
    if (scheduled === undefined) return next;
    if (spec.startingDeadlineSeconds !== undefined && scheduled + spec.startingDeadlineSeconds * 1000 < now) {
      recorder.event(
        cronJob,
        'Warning',
        'MissSchedule',
        `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`,
      );
      return next;
    }
    const name = jobNameFor(cronJob, scheduled);
    if (owned.some((j) => j.metadata.name === name)) return next;
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && status.active?.length) {
      recorder.event(
        cronJob,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return next;
    }
    if (policy === 'Replace') {
      for (const ref of status.active ?? []) {
        const job = owned.find((j) => j.metadata.uid === ref.uid);
        if (job) await deleteJob(cronJob, job);
      }
      delete status.active;
    }
    let created: Job;
    try {
      created = await jobApi.create(jobFromCronJob(cronJob, scheduled, timeZone));
      recorder.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    } catch (err) {
      if (!(isStatusError(err) && err.code === 409)) {
        recorder.event(
          cronJob,
          'Warning',
          'FailedCreate',
          `Error creating job: ${err instanceof Error ? err.message : err}`,
        );
        throw err;
      }
      // Created by an earlier pass whose status write was lost: take it if it is ours.
      created = await jobApi.get(name, cronJob.metadata.namespace);
      if (controllerOf(created)?.uid !== cronJob.metadata.uid) return next;
    }
    status.active = [...(status.active ?? []).filter((r) => r.uid !== created.metadata.uid), referenceTo(created)];
    status.lastScheduleTime = toTime(scheduled);
    return next;
  }

  async function reconcile(key: string): Promise<void> {
    const cronJob = cronJobInformer.get(key);
    if (!cronJob) return;
    const owned = jobInformer.byIndex(byControllerUID, cronJob.metadata.uid ?? '');
    const status: CronJobStatus = structuredClone(cronJob.status ?? {}) as CronJobStatus;
    reconcileActive(cronJob, owned, status);
    const next = await schedule(cronJob, owned, status);
    if (JSON.stringify(canonical(status)) !== JSON.stringify(canonical(cronJob.status ?? {}))) {
      await api.updateStatus({ ...cronJob, status: canonical(status) } as CronJob);
    }
    const spec = cronJob.spec;
    for (const job of jobsToPrune(owned, spec?.successfulJobsHistoryLimit ?? 3, spec?.failedJobsHistoryLimit ?? 1)) {
      await deleteJob(cronJob, job);
    }
    // Wake just after the next activation (the real controller adds 100 ms for clock skew).
    if (next !== undefined) queue.addAfter(key, next - clock.now() + 100);
  }

  return { name: 'cronjob', queue, workers: 5, reconcile };
}

function canonical(s: Readonly<CronJobStatus>): CronJobStatus {
  const out: CronJobStatus = {};
  if (s.active?.length) out.active = s.active.map((r) => ({ ...r }));
  if (s.lastScheduleTime) out.lastScheduleTime = s.lastScheduleTime;
  if (s.lastSuccessfulTime) out.lastSuccessfulTime = s.lastSuccessfulTime;
  return out;
}
