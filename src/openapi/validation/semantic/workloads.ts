/**
 * Spec rules of the workload kinds (apps and batch validation): counts never negative, pods that keep
 * running (Always) for replicated workloads and that finish (OnFailure, Never) for Jobs, Deployment
 * rollout parameters, CronJob schedules, and what a Job cannot change once created.
 */
import { parseCronSchedule } from '../../../controllers/cronjob/cron-schedule.ts';
import type { FieldError } from '../../../status.ts';
import type { KubeObject } from '../../../types/meta.ts';
import { type Json, nonNegative, oneOf } from './field-checks.ts';
import { validatePodTemplate } from './pod-spec.ts';

const specOf = (object: KubeObject): Json =>
  (object.spec && typeof object.spec === 'object' ? object.spec : {}) as Json;

const keepRunning = ['Always'];
const finish = ['OnFailure', 'Never'];

/** ReplicaSets, ReplicationControllers, StatefulSets, DaemonSets: replicas and an Always template. */
export function validateReplicated(object: KubeObject): FieldError[] {
  const spec = specOf(object);
  return [
    ...nonNegative('spec.replicas', spec.replicas),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
    ...validatePodTemplate(spec.template, 'spec.template', keepRunning),
  ];
}

/** `25%` as 25 (with `isPercent`), `1` as 1. */
function intOrPercent(value: unknown): { n: number; isPercent: boolean } | undefined {
  if (typeof value === 'number') return { n: value, isPercent: false };
  const match = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return match ? { n: Number(match[1]), isPercent: true } : undefined;
}

function rollingUpdateErrors(rolling: Json | undefined): FieldError[] {
  if (!rolling) return [];
  const path = 'spec.strategy.rollingUpdate';
  const errors: FieldError[] = [];
  for (const field of ['maxUnavailable', 'maxSurge']) {
    const value = rolling[field];
    const parsed = intOrPercent(value);
    if (value !== undefined && value !== null && !parsed) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `${path}.${field}`,
        value,
        detail:
          "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      });
    } else if (parsed && parsed.n < 0) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `${path}.${field}`,
        value,
        detail: 'must be greater than or equal to 0',
      });
    }
  }
  const unavailable = intOrPercent(rolling.maxUnavailable);
  if (unavailable?.isPercent && unavailable.n > 100) {
    errors.push({
      type: 'FieldValueInvalid',
      field: `${path}.maxUnavailable`,
      value: rolling.maxUnavailable,
      detail: 'must not be greater than 100%',
    });
  }
  if (unavailable?.n === 0 && intOrPercent(rolling.maxSurge)?.n === 0) {
    errors.push({
      type: 'FieldValueInvalid',
      field: `${path}.maxUnavailable`,
      value: rolling.maxUnavailable,
      detail: 'may not be 0 when `maxSurge` is 0',
    });
  }
  return errors;
}

export function validateDeployment(object: KubeObject): FieldError[] {
  const spec = specOf(object);
  const strategy = (spec.strategy ?? {}) as Json;
  const errors = [
    ...validateReplicated(object),
    ...oneOf('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']),
    ...rollingUpdateErrors(strategy.rollingUpdate as Json | undefined),
    ...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number' && deadline <= ((spec.minReadySeconds as number | undefined) ?? 0)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.progressDeadlineSeconds',
      value: deadline,
      detail: 'must be greater than minReadySeconds',
    });
  }
  return errors;
}

function jobSpecErrors(spec: Json, path: string): FieldError[] {
  return [
    ...nonNegative(`${path}.parallelism`, spec.parallelism),
    ...nonNegative(`${path}.completions`, spec.completions),
    ...nonNegative(`${path}.backoffLimit`, spec.backoffLimit),
    ...nonNegative(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds),
    ...nonNegative(`${path}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished),
    ...oneOf(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']),
    ...validatePodTemplate(spec.template, `${path}.template`, finish),
  ];
}

export function validateJob(object: KubeObject): FieldError[] {
  return jobSpecErrors(specOf(object), 'spec');
}

/** robfig/cron prints the fields it found as a Go slice: `found 2: [* *]`. */
function scheduleProblem(message: string): string {
  const match = /^(expected exactly 5 fields, found \d+): (.*)$/.exec(message);
  return match ? `${match[1]}: [${(match[2] ?? '').split(/\s+/).join(' ')}]` : message;
}

export function validateCronJob(object: KubeObject): FieldError[] {
  const spec = specOf(object);
  const errors: FieldError[] = [
    ...oneOf('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']),
    ...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds),
    ...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit),
    ...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit),
  ];
  if (typeof spec.schedule !== 'string' || spec.schedule === '') {
    errors.push({ type: 'FieldValueRequired', field: 'spec.schedule' });
  } else {
    try {
      parseCronSchedule(spec.schedule);
    } catch (err) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.schedule',
        value: spec.schedule,
        detail: scheduleProblem((err as Error).message),
      });
    }
  }
  const jobSpec = ((spec.jobTemplate as Json | undefined)?.spec ?? {}) as Json;
  return [...errors, ...jobSpecErrors(jobSpec, 'spec.jobTemplate.spec')];
}
