import { describe, expect, it } from 'vitest';
import { type NodeState, rolloutStep } from './rolling-update.ts';

const old = (node: string, isAvailable = true): NodeState => ({ node, old: [{ name: `${node}-old`, isAvailable }] });

describe('daemonset rollout step', () => {
  it('with maxSurge 0 deletes old pods on at most maxUnavailable nodes, unavailable ones for free', () => {
    const states = [old('a'), old('b'), old('c', false), { node: 'd', old: [] }];
    // c and d are unavailable already: two of the three allowed.
    expect(rolloutStep(states, { maxUnavailable: 3, maxSurge: 0 })).toEqual({
      deletions: ['a-old', 'c-old'],
      surgeNodes: [],
    });
    // A node without any available pod already uses the whole budget.
    expect(rolloutStep([old('a'), { node: 'b', old: [] }], { maxUnavailable: 1, maxSurge: 0 }).deletions).toEqual([]);
  });

  it('with maxSurge starts new pods beside old ones and removes the old once the new is available', () => {
    const states: NodeState[] = [
      { ...old('a'), updated: { name: 'a-new', isAvailable: true } },
      { ...old('b'), updated: { name: 'b-new', isAvailable: false } },
      old('c'),
      old('d'),
    ];
    expect(rolloutStep(states, { maxUnavailable: 0, maxSurge: 2 })).toEqual({
      deletions: ['a-old'],
      surgeNodes: ['c'],
    });
  });
});
