/**
 * The arithmetic of a rollout (kubernetes pkg/controller/deployment/util): maxSurge and maxUnavailable
 * resolved against replicas, how far the new ReplicaSet may grow, and sums over ReplicaSets. Pure.
 */
import type { ReplicaSet } from '../pod-control/types.ts';
import type { Deployment, IntOrString } from './types.ts';

/** An int, or a percentage of `total` rounded up (surge) or down (unavailable). */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) return Number.isInteger(Number(value)) ? Number(value) : 0;
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

const isRollingUpdate = (d: Readonly<Deployment>) => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
export const replicasOf = (d: Readonly<Deployment>) => d.spec?.replicas ?? 1;

/** Surge and unavailability; both zero would deadlock a rollout, so unavailability becomes 1 then. */
export function fenceposts(d: Readonly<Deployment>): { surge: number; unavailable: number } {
  const rolling = d.spec?.strategy?.rollingUpdate;
  const desired = replicasOf(d);
  const surge = scaledValue(rolling?.maxSurge ?? '25%', desired, true);
  const unavailable = scaledValue(rolling?.maxUnavailable ?? '25%', desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

export function maxSurge(d: Readonly<Deployment>): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: Readonly<Deployment>): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

type RS = Readonly<ReplicaSet>;
export const specReplicas = (rs: RS) => rs.spec?.replicas ?? 0;
export const sumSpecReplicas = (list: readonly RS[]) => list.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumReplicas = (list: readonly RS[]) => list.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const sumReady = (list: readonly RS[]) => list.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const sumAvailable = (list: readonly RS[]) => list.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
export const activeReplicaSets = (list: readonly (RS | undefined)[]) =>
  list.filter((rs): rs is RS => rs !== undefined && specReplicas(rs) > 0);

/** The size the new ReplicaSet may have now (deploymentutil.NewRSNewReplicas). */
export function newReplicaSetReplicas(d: Readonly<Deployment>, all: readonly RS[], newRS: RS): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + fenceposts(d).surge;
  const current = sumSpecReplicas(all);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
}

/**
 * The share of `toAdd` this ReplicaSet gets when a Deployment is resized mid-rollout
 * (deploymentutil.GetProportion): its size scaled by new max / max at its last resize
 * (the max-replicas annotation), bounded by what is left to hand out.
 */
export function proportion(rs: RS, d: Readonly<Deployment>, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -specReplicas(rs);
  else {
    const maxNow = replicasOf(d) + maxSurge(d);
    let maxBefore = Number(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']);
    if (!Number.isInteger(maxBefore) || maxBefore === 0) maxBefore = d.status?.replicas ?? 0;
    fraction = maxBefore === 0 ? 0 : Math.round((specReplicas(rs) * maxNow) / maxBefore) - specReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
