/**
 * Finding a Deployment's new and old ReplicaSets and ordering them (deploymentutil FindNewReplicaSet,
 * FindOldReplicaSets and the sort orders of pkg/controller). Pure.
 */
import type { ReplicaSet } from '../pod-control/types.ts';
import { revisionOf } from './annotations.ts';
import { equalIgnoreHash } from './pod-template-hash.ts';
import { specReplicas } from './rollout-math.ts';
import type { Deployment } from './types.ts';

type RS = Readonly<ReplicaSet>;

const created = (rs: RS) => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
const byName = (a: RS, b: RS) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);

/** Oldest first; equal times by name. */
export const byCreation = (a: RS, b: RS) => created(a) - created(b) || byName(a, b);
/** Larger first; equal sizes newer first (scaling up favours the newest). */
export const bySizeNewer = (a: RS, b: RS) => specReplicas(b) - specReplicas(a) || byCreation(b, a);
/** Larger first; equal sizes older first (scaling down takes from the oldest). */
export const bySizeOlder = (a: RS, b: RS) => specReplicas(b) - specReplicas(a) || byCreation(a, b);
/** Lowest revision first. */
export const byRevision = (a: RS, b: RS) => revisionOf(a) - revisionOf(b) || byCreation(a, b);

/**
 * The ReplicaSet whose template is the Deployment's. Should several match (it can happen after an
 * upgrade, kubernetes#40415), the oldest wins, deterministically.
 */
export function findNewReplicaSet(d: Readonly<Deployment>, list: readonly RS[]): RS | undefined {
  return [...list].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function oldReplicaSets(list: readonly RS[], newRS: RS | undefined): RS[] {
  return list.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** The one active ReplicaSet, or the newest when none is active (deploymentutil.FindActiveOrLatest). */
export function activeOrLatest(newRS: RS | undefined, old: readonly RS[]): RS | undefined {
  if (!newRS && old.length === 0) return undefined;
  const newestFirst = [...old].sort((a, b) => byCreation(b, a));
  const active = [...newestFirst, ...(newRS ? [newRS] : [])].filter((rs) => specReplicas(rs) > 0);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}
