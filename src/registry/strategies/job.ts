/**
 * Jobs and CronJobs: batch/v1 defaults, and the selector a Job gets from its own uid unless it asks for
 * a manual one (pkg/registry/batch/job/strategy.go generateSelector).
 */

import { defaultTemplateAt } from '../../openapi/defaults/pod-spec.ts';
import { validateCronJob, validateJob } from '../../openapi/validation/semantic/workloads.ts';
import type { Strategy } from '../types.ts';
import { arrayField, immutable, objectField, setDefault, valueAt } from './shared.ts';

function defaultJobSpec(spec: Record<string, unknown>): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  // With a per-index limit the job-wide one is off (max int32) unless given.
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex === undefined ? 6 : 2147483647);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  const failurePolicy = spec.podFailurePolicy;
  // A pod failure policy needs pods fully gone before replacing them: Failed is its only allowed value.
  setDefault(spec, 'podReplacementPolicy', failurePolicy ? 'Failed' : 'TerminatingOrFailed');
  if (failurePolicy && typeof failurePolicy === 'object') {
    for (const rule of arrayField(failurePolicy as Record<string, unknown>, 'rules')) {
      for (const pattern of arrayField(rule, 'onPodConditions')) setDefault(pattern, 'status', 'True');
    }
  }
}

export const jobStrategy: Strategy = {
  tracksGeneration: true,
  defaults(object) {
    defaultJobSpec(objectField(object, 'spec'));
    defaultTemplateAt(object, ['spec', 'template']);
  },
  prepareForCreate(object) {
    const spec = objectField(object, 'spec');
    // A Job without labels of its own shows its pod template's, generated ones included: kube defaults
    // them from the template each time the object is decoded, after the selector labels were added.
    const copyTemplateLabels = () => {
      const labels = objectField(objectField(spec, 'template'), 'metadata').labels;
      const own = object.metadata.labels;
      if (labels && typeof labels === 'object' && (!own || Object.keys(own).length === 0))
        object.metadata.labels = { ...(labels as Record<string, string>) };
    };
    if (spec.manualSelector === true) return copyTemplateLabels();
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
    copyTemplateLabels();
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
