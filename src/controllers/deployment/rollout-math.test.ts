import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../pod-control/types.ts';
import { computeHash, equalIgnoreHash } from './pod-template-hash.ts';
import { maxSurge, maxUnavailable, newReplicaSetReplicas, scaledValue } from './rollout-math.ts';
import type { Deployment, IntOrString } from './types.ts';

const d = (replicas: number, surge?: IntOrString, unavailable?: IntOrString, type = 'RollingUpdate'): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {},
  spec: {
    replicas,
    strategy: {
      type: type as 'RollingUpdate',
      rollingUpdate: {
        ...(surge === undefined ? {} : { maxSurge: surge }),
        ...(unavailable === undefined ? {} : { maxUnavailable: unavailable }),
      },
    },
  },
});
const rs = (replicas: number): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {},
  spec: { replicas },
});

describe('rollout arithmetic', () => {
  it('rounds surge up and unavailability down, and never lets both be zero', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect([maxSurge(d(10)), maxUnavailable(d(10))]).toEqual([3, 2]);
    expect([maxSurge(d(1, 0, '10%')), maxUnavailable(d(1, 0, '10%'))]).toEqual([0, 1]);
    expect(maxUnavailable(d(2, 0, 5))).toBe(2);
    expect([maxSurge(d(4, 1, 1, 'Recreate')), maxUnavailable(d(4, 1, 1, 'Recreate'))]).toEqual([0, 0]);
  });

  it('grows the new ReplicaSet up to replicas + maxSurge in total', () => {
    const newRS = rs(0);
    expect(newReplicaSetReplicas(d(10, 3, 2), [rs(10), newRS], newRS)).toBe(3);
    expect(newReplicaSetReplicas(d(10, 3, 2), [rs(13), newRS], newRS)).toBe(0);
    const grown = rs(8);
    expect(newReplicaSetReplicas(d(10, 3, 2), [rs(2), grown], grown)).toBe(10);
  });
});

describe('pod-template-hash', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

  it('is the same for equal templates whatever the key order or empty fields', () => {
    const reordered = {
      spec: { containers: [{ image: 'nginx', name: 'c' }] },
      metadata: { labels: { app: 'web' }, annotations: {} },
    };
    expect(computeHash(reordered)).toBe(computeHash(template));
    expect(computeHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
    expect(computeHash({ ...template, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } })).not.toBe(
      computeHash(template),
    );
  });

  it('compares templates ignoring the hash label', () => {
    const labelled = { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } };
    expect(equalIgnoreHash(labelled, template)).toBe(true);
    expect(equalIgnoreHash(labelled, { ...template, metadata: { labels: { app: 'api' } } })).toBe(false);
  });
});
