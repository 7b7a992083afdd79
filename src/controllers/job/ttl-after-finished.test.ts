import { describe, expect, it } from 'vitest';
import { expiresAt } from './ttl-after-finished.ts';
import type { Job } from './types.ts';

const job = (
  ttl: number | undefined,
  conditions: Array<{ type: string; status: 'True' | 'False' }>,
  deleting = false,
): Job => {
  const j: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'ns' },
    spec: {},
    status: { conditions: conditions.map((c) => ({ ...c, lastTransitionTime: '2026-03-01T10:00:00Z' })) },
  };
  if (ttl !== undefined) j.spec = { ttlSecondsAfterFinished: ttl };
  if (deleting) j.metadata.deletionTimestamp = '2026-03-01T10:00:05Z';
  return j;
};

describe('ttlSecondsAfterFinished', () => {
  it('expires a finished Job ttl seconds after its Complete or Failed condition', () => {
    expect(expiresAt(job(30, [{ type: 'Complete', status: 'True' }]))).toBe(Date.parse('2026-03-01T10:00:30Z'));
    expect(expiresAt(job(0, [{ type: 'Failed', status: 'True' }]))).toBe(Date.parse('2026-03-01T10:00:00Z'));
  });

  it('leaves unfinished Jobs, Jobs without a TTL and Jobs being deleted alone', () => {
    expect(expiresAt(job(30, [{ type: 'SuccessCriteriaMet', status: 'True' }]))).toBeUndefined();
    expect(expiresAt(job(undefined, [{ type: 'Complete', status: 'True' }]))).toBeUndefined();
    expect(expiresAt(job(30, [{ type: 'Complete', status: 'True' }], true))).toBeUndefined();
  });
});
