/**
 * The PV controller's writes, as kube's pv_controller.go makes them (bind, updateVolumePhase,
 * updateClaimStatus, unbindVolume). Each write starts from the object given (the cache's, or the one
 * the previous write returned) and so fails with a Conflict when that is stale; the work queue retries
 * the key and the next sync starts over from fresh state. A bind that stops part way is finished by
 * the next sync of either object, which is why the volume is written first: a claim never names a
 * volume that does not name it back.
 */
import type { ResourceClient } from '../../client/types.ts';
import { copyValue } from '../../copy-value.ts';
import { refersTo } from '../../scheduler/plugins/volume-matching.ts';
import { isStatusError } from '../../status.ts';
import {
  betaStorageProvisioner,
  bindCompleted,
  boundByController,
  type PersistentVolume,
  type PersistentVolumeClaim,
  storageProvisioner,
} from './types.ts';

export interface VolumeApis {
  volumes: ResourceClient<PersistentVolume>;
  claims: ResourceClient<PersistentVolumeClaim>;
}

/** The call's answer, or undefined for 404 Not Found. */
export async function orNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isStatusError(err) && err.code === 404) return undefined;
    throw err;
  }
}

/** A copy of a cached (shared, maybe frozen) object to write back. */
export const writableVolume = (volume: Readonly<PersistentVolume>): PersistentVolume => ({
  ...copyValue(volume as PersistentVolume),
  apiVersion: 'v1',
  kind: 'PersistentVolume',
});
export const writableClaim = (claim: Readonly<PersistentVolumeClaim>): PersistentVolumeClaim => ({
  ...copyValue(claim as PersistentVolumeClaim),
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
});

/** What a volume's claimRef says about the claim (ObjectReference, as kube's GetReference makes it). */
export function claimReference(claim: Readonly<PersistentVolumeClaim>) {
  const { namespace, name, uid, resourceVersion } = claim.metadata;
  return { kind: 'PersistentVolumeClaim', namespace, name, uid, apiVersion: 'v1', resourceVersion };
}

/** Binds both ways and moves both to phase Bound; each step is skipped when already done. */
export async function bind(
  apis: VolumeApis,
  volume: Readonly<PersistentVolume>,
  claim: Readonly<PersistentVolumeClaim>,
): Promise<void> {
  let boundVolume = volume;
  const ref = volume.spec?.claimRef;
  const { name, namespace, uid } = claim.metadata;
  if (!ref || ref.name !== name || ref.namespace !== namespace || ref.uid !== uid) {
    const next = writableVolume(volume);
    // A claimRef a user set (pre-binding) is theirs; only one the controller chose is marked as its own.
    if (!ref || !refersTo(ref, claim)) {
      next.metadata.annotations = { ...next.metadata.annotations, [boundByController]: 'yes' };
    }
    next.spec = { ...next.spec, claimRef: claimReference(claim) };
    boundVolume = await apis.volumes.update(next);
  }
  boundVolume = await setVolumePhase(apis, boundVolume, 'Bound');

  let boundClaim = claim;
  const volumeName = boundVolume.metadata.name as string;
  const annotations = claim.metadata.annotations ?? {};
  if (claim.spec?.volumeName !== volumeName || annotations[bindCompleted] === undefined) {
    const next = writableClaim(claim);
    const added: Record<string, string> = {};
    if (claim.spec?.volumeName !== volumeName) {
      next.spec = { ...next.spec, volumeName };
      if (annotations[boundByController] === undefined) added[boundByController] = 'yes';
    }
    if (annotations[bindCompleted] === undefined) added[bindCompleted] = 'yes';
    next.metadata.annotations = { ...annotations, ...added };
    boundClaim = await apis.claims.update(next);
  }
  await setClaimPhase(apis, boundClaim, 'Bound', boundVolume);
}

/** Sets the volume's phase (and message, cleared when none); no write when it is already that. */
export async function setVolumePhase(
  apis: VolumeApis,
  volume: Readonly<PersistentVolume>,
  phase: string,
  message?: string,
): Promise<Readonly<PersistentVolume>> {
  if (volume.status?.phase === phase) return volume;
  const next = writableVolume(volume);
  next.status = { ...next.status, phase };
  if (message) next.status.message = message;
  else delete next.status.message;
  return apis.volumes.updateStatus(next);
}

/**
 * Sets the claim's phase. Bound to `volume`: its access modes, and its capacity when the claim is only
 * now becoming Bound (later a difference may be a resize in progress). Without a volume the two are
 * cleared, as a claim that is not bound has neither.
 */
export async function setClaimPhase(
  apis: VolumeApis,
  claim: Readonly<PersistentVolumeClaim>,
  phase: string,
  volume?: Readonly<PersistentVolume>,
): Promise<Readonly<PersistentVolumeClaim>> {
  const status = { ...claim.status };
  let dirty = status.phase !== phase;
  status.phase = phase;
  if (!volume) {
    dirty ||= status.accessModes !== undefined || status.capacity !== undefined;
    delete status.accessModes;
    delete status.capacity;
  } else {
    const modes = volume.spec?.accessModes;
    if (modes && JSON.stringify(modes) !== JSON.stringify(status.accessModes)) {
      status.accessModes = [...modes];
      dirty = true;
    }
    const capacity = volume.spec?.capacity?.storage;
    if (claim.status?.phase !== phase && capacity !== undefined && status.capacity?.storage !== capacity) {
      status.capacity = { ...volume.spec?.capacity };
      dirty = true;
    }
  }
  if (!dirty) return claim;
  return apis.claims.updateStatus({ ...writableClaim(claim), status });
}

/**
 * Undoes a binding the volume no longer has a claim for (kube's unbindVolume): the controller's own
 * claimRef goes, a user's pre-binding keeps its name and loses only the uid; then phase Available.
 */
export async function unbindVolume(apis: VolumeApis, volume: Readonly<PersistentVolume>): Promise<void> {
  const next = writableVolume(volume);
  const spec = { ...next.spec };
  const annotations = { ...next.metadata.annotations };
  if (annotations[boundByController] !== undefined) {
    delete spec.claimRef;
    delete annotations[boundByController];
    if (Object.keys(annotations).length === 0) delete next.metadata.annotations;
    else next.metadata.annotations = annotations;
  } else if (spec.claimRef) {
    const { uid: _uid, ...preBound } = spec.claimRef;
    spec.claimRef = preBound;
  }
  next.spec = spec;
  await setVolumePhase(apis, await apis.volumes.update(next), 'Available');
}

/** Hands the claim to `provisioner`, in both spellings of the annotation provisioners watch for. */
export async function setClaimProvisioner(
  apis: VolumeApis,
  claim: Readonly<PersistentVolumeClaim>,
  provisioner: string,
): Promise<Readonly<PersistentVolumeClaim>> {
  const annotations = claim.metadata.annotations ?? {};
  if (annotations[storageProvisioner] === provisioner && annotations[betaStorageProvisioner] === provisioner) {
    return claim;
  }
  const next = writableClaim(claim);
  next.metadata.annotations = {
    ...annotations,
    [storageProvisioner]: provisioner,
    [betaStorageProvisioner]: provisioner,
  };
  return apis.claims.update(next);
}
