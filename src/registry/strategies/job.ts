/**
 * Jobs and CronJobs: batch/v1 defaults, and the selector a Job gets from its own uid unless it asks for
 * a manual one (pkg/registry/batch/job/strategy.go generateSelector).
 */

import { defaultTemplateAt } from '../../openapi/defaults/pod-spec.ts';
import { validateCronJob, validateJob } from '../../openapi/validation/semantic/workloads.ts';
import type { KubeObject } from '../../types/meta.ts';
import type { Strategy } from '../types.ts';
import { immutable, objectField, setDefault, valueAt } from './shared.ts';

function defaultJobSpec(spec: Record<string, unknown>): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  if (spec.podFailurePolicy === undefined) setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
}

export const jobStrategy: Strategy = {
  tracksGeneration: true,
  defaults(object) {
    defaultJobSpec(objectField(object, 'spec'));
    defaultTemplateAt(object, ['spec', 'template']);
  },
  prepareForCreate(object) {
    const spec = objectField(object, 'spec');
    if (spec.manualSelector === true) return;
    const uid = object.metadata.uid ?? '';
    const name = object.metadata.name ?? object.metadata.generateName ?? '';
    const template = objectField(objectField(spec, 'template'), 'metadata');
    template.labels = {
      ...(template.labels as object | undefined),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  },
  validate: validateJob,
  validateUpdate(object, old) {
    // A Job's pods are fixed at creation; only a suspended Job may still change its template.
    const suspended = valueAt(old, 'spec.suspend') === true;
    return [
      ...immutable('spec.selector', valueAt(object, 'spec.selector'), valueAt(old, 'spec.selector')),
      ...(suspended ? [] : immutable('spec.template', valueAt(object, 'spec.template'), valueAt(old, 'spec.template'))),
    ];
  },
};

export const cronJobStrategy: Strategy = {
  tracksGeneration: true,
  defaults(object) {
    const spec = objectField(object, 'spec');
    setDefault(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
    // Only the pod template: SetDefaults_Job runs on the Jobs the controller creates, not on jobTemplate.
    defaultTemplateAt(object, ['spec', 'jobTemplate', 'spec', 'template']);
  },
  validate: validateCronJob,
};
