/**
 * Which volume an unbound claim gets, decided by the scheduler's matching (volume-matching.ts, kube's
 * FindMatchingVolume) as the PV controller calls it: without a node. A claim bound at once is not on
 * its way to any node yet, so volumes' node affinity is not matching's business here (kube passes a nil
 * node); the view matching sees leaves it out.
 */
import { parseQuantity } from '../../quantity.ts';
import {
  type Candidate,
  claimClassOf,
  findMatchingVolume,
  toCandidate,
  toClaimRequest,
} from '../../scheduler/plugins/volume-matching.ts';
import type { Node } from '../../scheduler/types.ts';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './types.ts';

const noNode: Node = { metadata: {} };
const noClass: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {} };

/**
 * The volume `claim` binds to among `volumes`: one already naming it, else the smallest free one of its
 * class, mode and selector with room for its request and all its access modes. Volumes being deleted
 * are passed over.
 */
export function matchingVolume(
  claim: Readonly<PersistentVolumeClaim>,
  storageClass: Readonly<StorageClass> | undefined,
  volumes: readonly Readonly<PersistentVolume>[],
): Readonly<PersistentVolume> | undefined {
  const original = new Map<Candidate, Readonly<PersistentVolume>>();
  for (const volume of volumes) {
    if (volume.metadata.deletionTimestamp) continue;
    const view = volume.spec?.nodeAffinity ? { ...volume, spec: { ...volume.spec, nodeAffinity: null } } : volume;
    original.set(toCandidate(view, volume.spec?.claimRef ?? undefined), volume);
  }
  const request = toClaimRequest(claim, storageClass ?? noClass);
  const match = findMatchingVolume(request, [...original.keys()], noNode, undefined);
  return match ? original.get(match) : undefined;
}

/**
 * A volume the user named in a claim's spec.volumeName must still suit it (kube's
 * checkVolumeSatisfyClaim): room for the request, the same class and mode, all its access modes.
 */
export function fitsPreBound(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim>): boolean {
  const spec = volume.spec ?? {};
  const offered = spec.accessModes ?? [];
  return (
    parseQuantity(spec.capacity?.storage ?? 0) >= parseQuantity(claim.spec?.resources?.requests?.storage ?? 0) &&
    (spec.storageClassName ?? '') === claimClassOf(claim) &&
    (spec.volumeMode ?? 'Filesystem') === (claim.spec?.volumeMode ?? 'Filesystem') &&
    (claim.spec?.accessModes ?? []).every((mode) => offered.includes(mode))
  );
}

interface PodVolumes {
  metadata: { name?: string };
  spec?: { volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; ephemeral?: unknown }[] };
}

/** The claims a pod uses: its own and its generic ephemeral volumes' (named `<pod>-<volume>`). */
export function claimsOfPod(pod: Readonly<PodVolumes>): string[] {
  const names: string[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    if (volume.persistentVolumeClaim) names.push(volume.persistentVolumeClaim.claimName);
    else if (volume.ephemeral !== undefined) names.push(`${pod.metadata.name}-${volume.name}`);
  }
  return names;
}
