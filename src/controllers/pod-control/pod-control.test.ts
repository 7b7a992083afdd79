import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../runtime/fake-clock.ts';
import { podsToDelete } from './deletion-order.ts';
import { createExpectations, expectationsTtlMs } from './expectations.ts';
import { slowStartBatch } from './slow-start.ts';
import type { Pod } from './types.ts';

const now = Date.parse('2026-01-01T12:00:00Z');
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();

function pod(name: string, o: { node?: string; phase?: string; readyFor?: number; age?: number; cost?: number }): Pod {
  const conditions =
    o.readyFor === undefined ? [] : [{ type: 'Ready', status: 'True' as const, lastTransitionTime: iso(o.readyFor) }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      uid: name,
      creationTimestamp: iso(o.age ?? 3_600_000),
      ...(o.cost === undefined
        ? {}
        : { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } }),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: { phase: (o.phase ?? 'Running') as 'Running', conditions },
  };
}

describe('podsToDelete', () => {
  const names = (list: readonly Pod[]) => list.map((p) => p.metadata.name);

  it('takes unscheduled, then pending, then not-ready pods before ready ones', () => {
    const pods = [
      pod('ready', { node: 'n1', readyFor: 60_000 }),
      pod('not-ready', { node: 'n1' }),
      pod('pending', { node: 'n1', phase: 'Pending' }),
      pod('unscheduled', { phase: 'Pending' }),
    ];
    expect(names(podsToDelete(pods, pods, 3, now))).toEqual(['unscheduled', 'pending', 'not-ready']);
  });

  it('prefers a lower deletion cost, then a crowded node, then the newer pod', () => {
    const crowded = [pod('a', { node: 'n1', readyFor: 9e6 }), pod('b', { node: 'n1', readyFor: 9e6 })];
    const alone = pod('c', { node: 'n2', readyFor: 9e6 });
    expect(names(podsToDelete([...crowded, alone], [...crowded, alone], 1, now))).toEqual(['a']);
    const cheap = pod('cheap', { node: 'n2', readyFor: 9e6, cost: -5 });
    expect(names(podsToDelete([...crowded, cheap], [...crowded, cheap], 1, now))).toEqual(['cheap']);
    const young = pod('young', { node: 'n1', readyFor: 1_000 });
    const old = pod('old', { node: 'n2', readyFor: 3_600_000 });
    expect(names(podsToDelete([old, young], [old, young], 1, now))).toEqual(['young']);
  });

  it('returns every pod when asked for as many', () => {
    const pods = [pod('x', {}), pod('y', {})];
    expect(podsToDelete(pods, pods, 5, now)).toHaveLength(2);
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, … and stops after the first failing batch', async () => {
    let calls = 0;
    const result = await slowStartBatch(20, 1, async () => {
      calls++;
      if (calls > 5) throw new Error('quota');
    });
    // Batches 1, 2, 4: the third batch (calls 4–7) has failures, nothing after it runs.
    expect(calls).toBe(7);
    expect(result.successes).toBe(5);
    expect(String(result.error)).toContain('quota');
  });

  it('does everything when nothing fails', async () => {
    let calls = 0;
    expect(await slowStartBatch(10, 1, async () => void calls++)).toEqual({ successes: 10 });
    expect(calls).toBe(10);
  });
});

describe('expectations', () => {
  it('holds an owner until every expected create and delete is observed', () => {
    const clock = createFakeClock();
    const e = createExpectations(clock);
    expect(e.isSatisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.isSatisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    e.creationObserved('ns/rs');
    expect(e.isSatisfied('ns/rs')).toBe(true);
    e.expectDeletions('ns/rs', ['ns/a']);
    e.deletionObserved('ns/rs', 'ns/other');
    expect(e.isSatisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    expect(e.isSatisfied('ns/rs')).toBe(true);
  });

  it('gives up waiting after the TTL', async () => {
    const clock = createFakeClock();
    const e = createExpectations(clock);
    e.expectCreations('ns/rs', 1);
    await clock.advance(expectationsTtlMs + 1);
    expect(e.isSatisfied('ns/rs')).toBe(true);
  });
});
