/**
 * A pod's PersistentVolumeClaims as VolumeBinding's PreFilter reads them (kube's podHasPVCs, then
 * GetPodVolumeClaims): each must exist and not be lost or being deleted, and is then bound, waiting for
 * its first consumer, or unbound with immediate binding, which rules the pod out until it is bound.
 */
import { type PluginStatus, unresolvable } from '../framework.ts';
import type { Pod } from '../types.ts';
import {
  type ClaimRequest,
  claimClassOf,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
  toClaimRequest,
} from './volume-matching.ts';

/** The cluster's storage as VolumeBinding reads and writes it (volume-access.ts: informers and API writes). */
export interface VolumeAccess {
  claim(namespace: string, name: string): Readonly<PersistentVolumeClaim> | undefined;
  volume(name: string): Readonly<PersistentVolume> | undefined;
  volumes(): readonly Readonly<PersistentVolume>[];
  storageClass(name: string): Readonly<StorageClass> | undefined;
  /** Bind the claim to the volume, both ways, as kube's PV controller finishes a binding. */
  bind(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim>): Promise<void>;
  /** Hand the claim to dynamic provisioning for this node. */
  selectNode(claim: Readonly<PersistentVolumeClaim>, nodeName: string): Promise<void>;
}

export interface PodClaims {
  /** The volumes of claims with spec.volumeName, in the pod's order (undefined: the volume does not exist). */
  boundVolumes: (Readonly<PersistentVolume> | undefined)[];
  /** Claims waiting for their first consumer (StorageClass volumeBindingMode WaitForFirstConsumer). */
  waiting: ClaimRequest[];
}

type Volume = NonNullable<Pod['spec']['volumes']>[number];

/** Most pods have volumes (the service account's) but no claim: one scan tells, without allocating. */
export const usesClaims = (pod: Pod): boolean => pod.spec.volumes?.some(usesClaim) ?? false;
const usesClaim = (volume: Volume) => volume.persistentVolumeClaim !== undefined || volume.ephemeral !== undefined;

/** The pod's claims sorted out, or the status that rules the pod out on every node. */
export function readPodClaims(pod: Pod, access: VolumeAccess): PodClaims | PluginStatus {
  const namespace = pod.metadata.namespace ?? 'default';
  const claims: PodClaims = { boundVolumes: [], waiting: [] };
  const seen = new Set<string>();
  let unboundImmediate = false;
  for (const volume of pod.spec.volumes ?? []) {
    const isEphemeral = volume.ephemeral !== undefined;
    const claimName =
      volume.persistentVolumeClaim?.claimName ?? (isEphemeral ? `${pod.metadata.name}-${volume.name}` : undefined);
    if (claimName === undefined || seen.has(claimName)) continue;
    seen.add(claimName);
    const claim = access.claim(namespace, claimName);
    if (!claim) return unresolvable(missingClaim(claimName, isEphemeral));
    const refused = claimRefusal(pod, claim, isEphemeral);
    if (refused) return refused;
    const volumeName = claim.spec?.volumeName;
    // Bound once it names its volume: kube also waits for the bind-completed annotation, which the PV
    // controller adds to a claim a user pre-bound; the scheduler may run without that controller.
    if (volumeName) {
      claims.boundVolumes.push(access.volume(volumeName));
      continue;
    }
    const className = claimClassOf(claim);
    const storageClass = className ? access.storageClass(className) : undefined;
    // No class, a missing one, or Immediate mode: a binder should have bound the claim already.
    if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer')
      claims.waiting.push(toClaimRequest(claim, storageClass));
    else unboundImmediate = true;
  }
  // After every claim was found: a missing one is the better thing to report.
  if (unboundImmediate) return unresolvable('pod has unbound immediate PersistentVolumeClaims');
  return claims;
}

/** An ephemeral volume's claim is missing for a moment after its pod is created: a controller makes it. */
const missingClaim = (claimName: string, isEphemeral: boolean) =>
  isEphemeral
    ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${claimName}"`
    : `persistentvolumeclaim "${claimName}" not found`;

/** Why an existing claim rules the pod out everywhere, if it does. */
function claimRefusal(
  pod: Pod,
  claim: Readonly<PersistentVolumeClaim>,
  isEphemeral: boolean,
): PluginStatus | undefined {
  const claimName = claim.metadata.name;
  if (claim.status?.phase === 'Lost') {
    const volumeName = claim.spec?.volumeName ?? '';
    return unresolvable(`persistentvolumeclaim "${claimName}" bound to non-existent persistentvolume "${volumeName}"`);
  }
  if (claim.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${claimName}" is being deleted`);
  // An ephemeral volume's claim must be the one made for this pod, not one that happens to have its name.
  if (isEphemeral && !claim.metadata.ownerReferences?.some((o) => o.controller && o.uid === pod.metadata.uid)) {
    const { namespace, name } = pod.metadata;
    return unresolvable(
      `PVC ${claim.metadata.namespace}/${claimName} was not created for pod ${namespace}/${name} (pod is not owner)`,
    );
  }
  return undefined;
}
