/**
 * The TTL-after-finished controller (kube-controller-manager's ttlafterfinished): a finished Job with
 * spec.ttlSecondsAfterFinished is deleted, with its pods (foreground propagation), that many seconds
 * after its Complete or Failed condition's lastTransitionTime. Before deleting it re-reads the Job, so
 * a TTL raised in the meantime wins.
 */
import { jobs as jobsRef } from '../../client/resources.ts';
import type { KubeClient } from '../../client/types.ts';
import { isStatusError } from '../../status.ts';
import { keyOf, splitKey } from '../runtime/cache.ts';
import { type Clock, realClock } from '../runtime/clock.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import { finishedCondition } from './job-spec.ts';
import type { Job } from './types.ts';

/** When the Job should go, or undefined when it has no TTL, is not finished, or is already being deleted. */
export function expiresAt(job: Readonly<Job>): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return undefined;
  const finished = finishedCondition(job);
  const at = Date.parse(finished?.lastTransitionTime ?? '');
  return Number.isNaN(at) ? undefined : at + ttl * 1000;
}

export function ttlAfterFinishedController(d: {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
}): Controller & {
  reconcile(key: string): Promise<void>;
} {
  const clock = d.clock ?? realClock;
  const queue = createWorkQueue({ clock });
  const informer = d.informers.informerFor(jobsRef);
  const api = d.client.resource(jobsRef);
  const enqueue = (job: Readonly<Job>) => {
    if (expiresAt(job) !== undefined) queue.add(keyOf(job));
  };
  informer.addHandlers({ onAdd: enqueue, onUpdate: (_old, job) => enqueue(job) });

  async function reconcile(key: string): Promise<void> {
    const cached = informer.get(key) as Readonly<Job> | undefined;
    if (!cached || expiresAt(cached) === undefined) return;
    const { namespace, name } = splitKey(key);
    let job: Job;
    try {
      job = await api.get(name, namespace);
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return;
      throw err;
    }
    const at = expiresAt(job);
    if (at === undefined) return;
    const wait = at - clock.now();
    if (wait > 0) {
      queue.addAfter(key, wait);
      return;
    }
    try {
      await api.delete(name, namespace, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: job.metadata.uid ?? '', resourceVersion: job.metadata.resourceVersion ?? '' },
      });
    } catch (err) {
      if (!(isStatusError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  return { name: 'ttl-after-finished', queue, workers: 5, reconcile };
}
