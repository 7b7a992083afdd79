/**
 * Claims, volumes and classes as the PersistentVolume controller reads and writes them: the
 * scheduler's shapes (volume-matching.ts, whose matching the controller shares) plus the fields only
 * binding and provisioning touch.
 */
import type { ClaimReference, PersistentVolumeClaim as MatchedClaim } from '../../scheduler/plugins/volume-matching.ts';
import type { NodeSelectorTerm, ResourceList } from '../../scheduler/types.ts';
import type { KubeObject } from '../../types/meta.ts';

export type { ClaimReference } from '../../scheduler/plugins/volume-matching.ts';

export interface PersistentVolumeClaim extends KubeObject {
  spec?: NonNullable<MatchedClaim['spec']>;
  status?: { phase?: string; accessModes?: string[]; capacity?: ResourceList };
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    storageClassName?: string;
    claimRef?: ClaimReference | null;
    capacity?: ResourceList;
    accessModes?: string[];
    volumeMode?: string;
    persistentVolumeReclaimPolicy?: string;
    hostPath?: { path: string; type?: string };
    nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } | null } | null;
  };
  status?: { phase?: string; message?: string; reason?: string };
}

export interface StorageClass extends KubeObject {
  provisioner?: string;
  volumeBindingMode?: string;
  reclaimPolicy?: string;
}

/** Set on both objects when the controller made the binding (not a user pre-binding them). */
export const boundByController = 'pv.kubernetes.io/bound-by-controller';
/** Set on a claim once its binding is complete; from then on it is synced as bound. */
export const bindCompleted = 'pv.kubernetes.io/bind-completed';
/** Set by the scheduler on a WaitForFirstConsumer claim: the node its volume must reach. */
export const selectedNode = 'volume.kubernetes.io/selected-node';
/** Set on a claim when the controller hands it to a provisioner, in the GA and the beta spelling. */
export const storageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const betaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
/** Set on a volume by the provisioner that made it: the volume is that provisioner's to delete. */
export const provisionedBy = 'pv.kubernetes.io/provisioned-by';
