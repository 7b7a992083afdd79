/**
 * The slices of batch/v1 Job the job controller reads and writes. Fields are optional as on the wire;
 * defaults a real API server fills in are applied by job-spec.ts when read.
 */

import type { KubeObject, LabelSelector } from '../../types/meta.ts';
import type { PodTemplateSpec } from '../pod-control/types.ts';

export type JobConditionType = 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget' | 'Suspended';

export interface JobCondition {
  type: JobConditionType | string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: Array<{ type: string; status?: string }>;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  ttlSecondsAfterFinished?: number;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  selector?: LabelSelector;
  manualSelector?: boolean;
  template?: PodTemplateSpec;
}

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobStatus {
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  startTime?: string;
  completionTime?: string;
  uncountedTerminatedPods?: UncountedTerminatedPods;
  conditions?: JobCondition[];
}

export interface Job extends KubeObject {
  spec?: JobSpec;
  status?: JobStatus;
}
