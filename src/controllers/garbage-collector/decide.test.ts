import { describe, expect, it } from 'vitest';
import type { OwnerReference } from '../../types/meta.ts';
import { decideForDependent, isBlocking, type OwnerState } from './decide.ts';

const ref = (uid: string, blockOwnerDeletion?: boolean): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: uid,
  uid,
  ...(blockOwnerDeletion === undefined ? {} : { blockOwnerDeletion }),
});

function decide(states: Record<string, OwnerState>, o: { finalizers?: string[]; hasDependents?: boolean } = {}) {
  return decideForDependent(
    { ownerReferences: Object.keys(states).map((uid) => ref(uid)), finalizers: o.finalizers ?? [] },
    (r) => states[r.uid] ?? 'solid',
    o.hasDependents ?? false,
  );
}

describe('decideForDependent', () => {
  it('leaves objects without owners alone', () => {
    expect(decide({})).toEqual({ type: 'none' });
  });
  it('keeps a dependent whose owners all exist', () => {
    expect(decide({ a: 'solid', b: 'solid' })).toEqual({ type: 'none' });
  });
  it('drops only the references to gone or waiting owners while another owner is solid', () => {
    expect(decide({ a: 'solid', b: 'dangling', c: 'waiting' })).toEqual({
      type: 'removeOwnerReferences',
      uids: ['b', 'c'],
    });
  });
  it('deletes in the background once every owner is gone', () => {
    expect(decide({ a: 'dangling', b: 'dangling' })).toEqual({ type: 'delete', propagationPolicy: 'Background' });
  });
  it('passes foreground deletion on to a dependent that has dependents itself', () => {
    expect(decide({ a: 'waiting' }, { hasDependents: true })).toEqual({
      type: 'delete',
      propagationPolicy: 'Foreground',
    });
    expect(decide({ a: 'waiting' })).toEqual({ type: 'delete', propagationPolicy: 'Background' });
  });
  it("honours the dependent's own orphan or foreground finalizer", () => {
    expect(decide({ a: 'dangling' }, { finalizers: ['orphan'] })).toEqual({
      type: 'delete',
      propagationPolicy: 'Orphan',
    });
    expect(decide({ a: 'dangling' }, { finalizers: ['foregroundDeletion'] })).toEqual({
      type: 'delete',
      propagationPolicy: 'Foreground',
    });
  });
});

describe('isBlocking', () => {
  it('is true only for a reference to that owner with blockOwnerDeletion', () => {
    expect(isBlocking('a', { ownerReferences: [ref('a', true)] })).toBe(true);
    expect(isBlocking('a', { ownerReferences: [ref('a', false), ref('b', true)] })).toBe(false);
    expect(isBlocking('a', { ownerReferences: [ref('a')] })).toBe(false);
  });
});
