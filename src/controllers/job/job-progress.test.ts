import { describe, expect, it } from 'vitest';
import { formatIndexes, parseIndexes } from './completed-indexes.ts';
import { failureBackoffMs, indexesToStart, type Progress, verdictOf, wantedActive } from './job-progress.ts';
import { effectiveSpec } from './job-spec.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import type { Job } from './types.ts';

const job = (spec: Job['spec']): Job => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec });
const progress = (p: Partial<Progress>): Progress => ({
  succeeded: 0,
  failed: 0,
  completedIndexes: new Set(),
  active: 0,
  terminating: 0,
  ...p,
});

describe('job decisions', () => {
  it('defaults completions and parallelism to 1 only when both are unset', () => {
    expect(effectiveSpec(job({}))).toMatchObject({ parallelism: 1, completions: 1, backoffLimit: 6 });
    expect(effectiveSpec(job({ parallelism: 4 })).completions).toBeUndefined();
  });

  it('runs min(parallelism, remaining completions) pods', () => {
    const spec = effectiveSpec(job({ completions: 10, parallelism: 3 }));
    expect(wantedActive(spec, progress({ succeeded: 0 }))).toBe(3);
    expect(wantedActive(spec, progress({ succeeded: 8 }))).toBe(2);
    expect(wantedActive(spec, progress({ succeeded: 10 }))).toBe(0);
  });

  it('stops starting pods of a work-queue Job once one succeeded', () => {
    const spec = effectiveSpec(job({ parallelism: 3 }));
    expect(wantedActive(spec, progress({}))).toBe(3);
    expect(wantedActive(spec, progress({ succeeded: 1, active: 2 }))).toBe(0);
    expect(verdictOf(spec, progress({ succeeded: 1, active: 2 }), { now: 0 })).toBeUndefined();
    expect(verdictOf(spec, progress({ succeeded: 1 }), { now: 0 })?.reason).toBe('CompletionsReached');
  });

  it('keeps a terminating pod in its slot with podReplacementPolicy Failed', () => {
    const spec = effectiveSpec(job({ completions: 5, parallelism: 2, podReplacementPolicy: 'Failed' }));
    expect(wantedActive(spec, progress({ terminating: 1 }))).toBe(1);
  });

  it('checks failure before success, backoff limit before deadline', () => {
    const spec = effectiveSpec(job({ completions: 1, backoffLimit: 1, activeDeadlineSeconds: 10 }));
    expect(verdictOf(spec, progress({ failed: 2, succeeded: 1 }), { now: 60_000, startTime: 0 })?.reason).toBe(
      'BackoffLimitExceeded',
    );
    expect(verdictOf(spec, progress({ failed: 1 }), { now: 10_000, startTime: 0 })?.reason).toBe('DeadlineExceeded');
    expect(verdictOf(spec, progress({ failed: 1 }), { now: 9_999, startTime: 0 })).toBeUndefined();
    expect(verdictOf(spec, progress({}), { now: 0, policyFailure: 'boom' })).toMatchObject({
      type: 'FailureTarget',
      reason: 'PodFailurePolicy',
      message: 'boom',
    });
  });

  it('starts the lowest missing indexes', () => {
    expect(indexesToStart(6, new Set([0, 2]), new Set([1]), 2)).toEqual([3, 4]);
  });

  it('doubles the retry delay from 10 s up to 10 min', () => {
    expect([0, 1, 2, 3, 7, 20].map(failureBackoffMs)).toEqual([0, 10_000, 20_000, 40_000, 600_000, 600_000]);
  });

  it('formats and parses completedIndexes as intervals', () => {
    expect(formatIndexes([8, 0, 1, 2, 5, 7])).toBe('0-2,5,7-8');
    expect(formatIndexes([])).toBe('');
    expect([...parseIndexes('0-2,5,7-8', 8)]).toEqual([0, 1, 2, 5, 7]);
  });

  it('matches podFailurePolicy rules in order, skipping exit code 0', () => {
    const j = job({
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'NotIn', values: [1, 2] } },
        ],
      },
    });
    const pod = (exitCodes: number[], conditions: Array<{ type: string; status: 'True' | 'False' }> = []) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns' },
      status: {
        phase: 'Failed' as const,
        conditions,
        containerStatuses: exitCodes.map((exitCode, i) => ({
          name: i ? `side${i}` : 'main',
          state: { terminated: { exitCode } },
        })),
      },
    });
    expect(matchPodFailurePolicy(j, pod([1]))).toBeUndefined();
    expect(matchPodFailurePolicy(j, pod([0]))).toBeUndefined();
    expect(matchPodFailurePolicy(j, pod([7]))).toEqual({
      action: 'FailJob',
      message: 'Container main for pod ns/p failed with exit code 7 matching FailJob rule at index 1',
    });
    expect(matchPodFailurePolicy(j, pod([7], [{ type: 'DisruptionTarget', status: 'True' }]))).toEqual({
      action: 'Ignore',
      message: 'Pod ns/p has condition DisruptionTarget matching Ignore rule at index 0',
    });
  });
});
