import { describe, expect, it } from 'vitest';
import type { Pod } from '../nodes/api-types.ts';
import { calculateBudget, scaledValue } from './disruption.ts';

const now = Date.parse('2026-01-01T00:10:00Z');
const pod = (name: string, ready = true, deleting = false): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(deleting ? { deletionTimestamp: '2026-01-01T00:09:00Z' } : {}) },
  spec: { containers: [] },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('disruption budget numbers', () => {
  it('rounds percentages up', () => {
    expect(scaledValue('50%', 3)).toBe(2);
    expect(scaledValue(2, 10)).toBe(2);
  });
  it('counts ready, not deleting pods against an integer minAvailable', () => {
    const pods = [pod('a'), pod('b'), pod('c', false), pod('d', true, true)];
    expect(calculateBudget({ minAvailable: 1 }, pods, undefined, {}, now)).toEqual({
      expectedPods: 4,
      desiredHealthy: 1,
      currentHealthy: 2,
      disruptionsAllowed: 1,
      disruptedPods: {},
    });
  });
  it('uses the controllers’ replicas for maxUnavailable and percentages', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    expect(calculateBudget({ maxUnavailable: 1 }, pods, 3, {}, now)).toMatchObject({
      expectedPods: 3,
      desiredHealthy: 2,
      disruptionsAllowed: 1,
    });
    expect(calculateBudget({ minAvailable: '100%' }, pods, 3, {}, now)).toMatchObject({
      desiredHealthy: 3,
      disruptionsAllowed: 0,
    });
  });
  it('counts a just-evicted pod as disrupted until it is deleting or two minutes have passed', () => {
    const pods = [pod('a'), pod('b')];
    const recent = { a: '2026-01-01T00:09:30Z' };
    expect(calculateBudget({ minAvailable: 1 }, pods, undefined, recent, now)).toMatchObject({
      currentHealthy: 1,
      disruptionsAllowed: 0,
      disruptedPods: recent,
    });
    const stale = { a: '2026-01-01T00:07:00Z' };
    expect(calculateBudget({ minAvailable: 1 }, pods, undefined, stale, now)).toMatchObject({
      currentHealthy: 2,
      disruptedPods: {},
    });
  });
});
