/**
 * Controller expectations (kubernetes pkg/controller ControllerExpectations with UID tracking): before a
 * burst of creates or deletes the controller records how many it expects to see, the pod informer
 * counts them down, and the controller skips acting on that owner until they are all seen or the
 * record is older than the TTL. Without this a second reconcile, running on a cache that has not yet
 * seen the first burst, would create the same pods again.
 */
import type { Clock } from '../runtime/clock.ts';

/** kube-controller-manager's ExpectationsTimeout: a lost watch event cannot stall an owner for longer. */
export const expectationsTtlMs = 5 * 60_000;

export interface Expectations {
  /** True when nothing is outstanding (or the record expired, or none exists). */
  isSatisfied(ownerKey: string): boolean;
  expectCreations(ownerKey: string, count: number): void;
  /** `podKeys` are the `namespace/name` of the pods being deleted; each is observed once. */
  expectDeletions(ownerKey: string, podKeys: readonly string[]): void;
  creationObserved(ownerKey: string): void;
  deletionObserved(ownerKey: string, podKey: string): void;
  forget(ownerKey: string): void;
}

interface Record {
  creations: number;
  deletions: Set<string>;
  at: number;
}

export function createExpectations(clock: Pick<Clock, 'now'>, ttlMs = expectationsTtlMs): Expectations {
  const records = new Map<string, Record>();
  const fresh = (ownerKey: string): Record => {
    const r = { creations: 0, deletions: new Set<string>(), at: clock.now() };
    records.set(ownerKey, r);
    return r;
  };
  return {
    isSatisfied(ownerKey) {
      const r = records.get(ownerKey);
      if (!r) return true;
      if (r.creations <= 0 && r.deletions.size === 0) return true;
      return clock.now() - r.at > ttlMs;
    },
    expectCreations(ownerKey, count) {
      const r = fresh(ownerKey);
      r.creations = count;
    },
    expectDeletions(ownerKey, podKeys) {
      const r = fresh(ownerKey);
      for (const k of podKeys) r.deletions.add(k);
    },
    creationObserved(ownerKey) {
      const r = records.get(ownerKey);
      if (r && r.creations > 0) r.creations--;
    },
    deletionObserved(ownerKey, podKey) {
      records.get(ownerKey)?.deletions.delete(podKey);
    },
    forget: (ownerKey) => records.delete(ownerKey),
  };
}
