/**
 * The rollout strategies and the scaling pass of the deployment controller (kubernetes
 * pkg/controller/deployment rolling.go, recreate.go, sync.go): each returns the ReplicaSets it ended
 * with, so the caller can compute status from them.
 */
import type { Pod, ReplicaSet } from '../pod-control/types.ts';
import { desiredReplicasAnnotation } from './annotations.ts';
import type { Writes } from './replica-set-writes.ts';
import { activeOrLatest, byCreation, byRevision, bySizeNewer, bySizeOlder, oldReplicaSets } from './replica-sets.ts';
import {
  activeReplicaSets,
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  proportion,
  replicasOf,
  specReplicas,
  sumAvailable,
  sumReplicas,
  sumSpecReplicas,
} from './rollout-math.ts';
import { isComplete } from './status.ts';
import type { Deployment } from './types.ts';

type RS = Readonly<ReplicaSet>;

export interface RolloutState {
  newRS: RS | undefined;
  old: RS[];
}

export interface Rollout {
  /** Finds (and with `create`, makes) the new ReplicaSet. */
  load(d: Deployment, list: readonly RS[], create: boolean): Promise<RolloutState>;
  /** A replica count changed (or the Deployment is paused): resize without rolling. */
  scale(d: Deployment, s: RolloutState): Promise<void>;
  /** One rolling-update step: scale the new ReplicaSet up, else old ones down, else clean up. */
  rolling(d: Deployment, s: RolloutState): Promise<void>;
  recreate(
    d: Deployment,
    list: readonly RS[],
    podsByReplicaSet: (uid: string) => readonly Readonly<Pod>[],
  ): Promise<RolloutState>;
  /** Deletes old, empty ReplicaSets beyond revisionHistoryLimit. */
  cleanup(d: Deployment, old: readonly RS[]): Promise<void>;
  /** Whether a Deployment's replicas changed since its ReplicaSets were sized (isScalingEvent). */
  isScalingEvent(d: Deployment, s: RolloutState): boolean;
}

export function createRollout(w: Writes & { deleteReplicaSet(rs: RS): Promise<void> }): Rollout {
  async function load(d: Deployment, list: readonly RS[], create: boolean): Promise<RolloutState> {
    const found = await w.newReplicaSet(d, list, create);
    return { newRS: found, old: oldReplicaSets(list, found) };
  }

  async function scale(d: Deployment, s: RolloutState): Promise<void> {
    const single = activeOrLatest(s.newRS, s.old);
    if (single) {
      const { rs } = await w.scale(single, replicasOf(d), d);
      replace(s, rs);
      return;
    }
    if (isSaturated(d, s.newRS)) {
      for (const old of activeReplicaSets(s.old)) replace(s, (await w.scale(old, 0, d)).rs);
      return;
    }
    if ((d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    // Proportional scaling: spread the change over the active ReplicaSets by their share of the
    // Deployment's size at their last resize; leftovers go to the largest.
    const active = activeReplicaSets([...s.old, s.newRS]);
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - sumSpecReplicas(active);
    const direction = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
    if (toAdd > 0) active.sort(bySizeNewer);
    else if (toAdd < 0) active.sort(bySizeOlder);
    let added = 0;
    const sizes = active.map((rs) => {
      const share = proportion(rs, d, toAdd, added);
      added += share;
      return specReplicas(rs) + share;
    });
    for (const [i, rs] of active.entries()) {
      let size = sizes[i] ?? 0;
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      replace(s, (await w.scaleAs(rs, size, d, direction)).rs);
    }
  }

  async function rolling(d: Deployment, s: RolloutState): Promise<void> {
    const newRS = s.newRS;
    if (!newRS) return;
    // Scale up the new ReplicaSet as far as maxSurge allows.
    const desired = replicasOf(d);
    const target = specReplicas(newRS) > desired ? desired : newReplicaSetReplicas(d, [...s.old, newRS], newRS);
    const up = await w.scale(newRS, target, d);
    replace(s, up.rs);
    if (up.scaled) return;
    if (await scaleDownOld(d, s)) return;
    if (isComplete(d, d.status ?? {})) await cleanup(d, s.old);
  }

  /** rolling.go reconcileOldReplicaSets: unhealthy old pods first, then as availability allows. */
  async function scaleDownOld(d: Deployment, s: RolloutState): Promise<boolean> {
    const newRS = s.newRS as RS;
    const old = activeReplicaSets(s.old);
    if (sumSpecReplicas(old) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = sumSpecReplicas([...s.old, newRS]) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;

    let cleaned = 0;
    for (const rs of [...old].sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
      const count = Math.min(maxScaledDown - cleaned, unhealthy);
      replace(s, (await w.scale(rs, specReplicas(rs) - count, d)).rs);
      cleaned += count;
    }

    const available = sumAvailable([...s.old, newRS]);
    let scaledDown = 0;
    if (available > minAvailable) {
      const budget = available - minAvailable;
      for (const rs of activeReplicaSets(s.old).sort(byCreation)) {
        if (scaledDown >= budget) break;
        const count = Math.min(specReplicas(rs), budget - scaledDown);
        replace(s, (await w.scale(rs, specReplicas(rs) - count, d)).rs);
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  }

  async function recreate(
    d: Deployment,
    list: readonly RS[],
    podsByReplicaSet: (uid: string) => readonly Readonly<Pod>[],
  ): Promise<RolloutState> {
    let s = await load(d, list, false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(s.old)) {
      const result = await w.scale(rs, 0, d);
      replace(s, result.rs);
      scaledDown ||= result.scaled;
    }
    if (scaledDown || oldPodsRunning(s, podsByReplicaSet)) return s;
    if (!s.newRS) s = await load(d, list, true);
    if (s.newRS) replace(s, (await w.scale(s.newRS, replicasOf(d), d)).rs);
    if (isComplete(d, d.status ?? {})) await cleanup(d, s.old);
    return s;
  }

  async function cleanup(d: Deployment, old: readonly RS[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = old.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const excess = alive.length - limit;
    for (const rs of alive.slice(0, Math.max(0, excess))) {
      const idle =
        (rs.status?.replicas ?? 0) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0);
      if (idle) await w.deleteReplicaSet(rs);
    }
  }

  function isScalingEvent(d: Deployment, s: RolloutState): boolean {
    return activeReplicaSets([...s.old, s.newRS]).some((rs) => {
      const desired = rs.metadata.annotations?.[desiredReplicasAnnotation];
      return desired !== undefined && Number(desired) !== replicasOf(d);
    });
  }

  return { load, scale, rolling, recreate, cleanup, isScalingEvent };
}

function replace(s: RolloutState, rs: RS): void {
  if (s.newRS?.metadata.uid === rs.metadata.uid) s.newRS = rs;
  else s.old = s.old.map((o) => (o.metadata.uid === rs.metadata.uid ? rs : o));
}

function isSaturated(d: Readonly<Deployment>, rs: RS | undefined): boolean {
  if (!rs) return false;
  const desired = Number(rs.metadata.annotations?.[desiredReplicasAnnotation]);
  return (
    desired === replicasOf(d) &&
    specReplicas(rs) === replicasOf(d) &&
    (rs.status?.availableReplicas ?? 0) === replicasOf(d)
  );
}

/** recreate.go oldPodsRunning: old ReplicaSets still report pods, or pods of theirs are not finished. */
function oldPodsRunning(s: RolloutState, podsByReplicaSet: (uid: string) => readonly Readonly<Pod>[]): boolean {
  if (sumReplicas(s.old) > 0) return true;
  return s.old.some((rs) =>
    podsByReplicaSet(rs.metadata.uid ?? '').some(
      (p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded',
    ),
  );
}
