/**
 * A pod for a Job: the template's pod plus what the API server and job controller add on a real
 * cluster — the job's selector labels (batch.kubernetes.io/controller-uid, batch.kubernetes.io/job-name
 * and their legacy twins controller-uid, job-name), the job-tracking finalizer that keeps a finished
 * pod until it is counted, and for Indexed Jobs the completion index (annotation, label, hostname,
 * JOB_COMPLETION_INDEX env, generateName `<job>-<index>-`).
 */
import { podFromTemplate } from '../pod-control/pod-from-template.ts';
import type { Pod } from '../pod-control/types.ts';
import type { Job } from './types.ts';

export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';

/** The labels the API server puts in a Job's generated selector and template. */
export function jobLabels(job: Readonly<Job>): Record<string, string> {
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

interface Container {
  env?: Array<{ name: string; [field: string]: unknown }>;
  [field: string]: unknown;
}

function withIndexEnv(containers: unknown): unknown {
  if (!Array.isArray(containers)) return containers;
  return (containers as Container[]).map((c) => {
    if (c.env?.some((e) => e.name === 'JOB_COMPLETION_INDEX')) return c;
    const indexEnv = {
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${completionIndexKey}']` } },
    };
    return { ...c, env: [...(c.env ?? []), indexEnv] };
  });
}

export function jobPod(job: Readonly<Job>, index?: number): Pod {
  const pod = podFromTemplate(job.spec?.template ?? {}, job);
  pod.metadata.labels = { ...pod.metadata.labels, ...jobLabels(job) };
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), jobTrackingFinalizer];
  if (index === undefined) return pod;
  const name = job.metadata.name ?? '';
  pod.metadata.generateName = `${name}-${index}-`;
  pod.metadata.annotations = { ...pod.metadata.annotations, [completionIndexKey]: String(index) };
  pod.metadata.labels[completionIndexKey] = String(index);
  const spec = pod.spec ?? {};
  if (!spec.hostname) spec.hostname = `${name}-${index}`;
  spec.containers = withIndexEnv(spec.containers);
  if (spec.initContainers) spec.initContainers = withIndexEnv(spec.initContainers);
  pod.spec = spec;
  return pod;
}

/** The completion index of a pod of an Indexed Job, or undefined when missing or invalid. */
export function completionIndexOf(pod: Readonly<Pod>): number | undefined {
  const value = pod.metadata.annotations?.[completionIndexKey] ?? pod.metadata.labels?.[completionIndexKey];
  const index = value === undefined || value === '' ? Number.NaN : Number(value);
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}
