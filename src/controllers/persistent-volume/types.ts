/**
 * Claims, volumes and classes as the PersistentVolume controller reads and writes them: the
 * scheduler's shapes (volume-matching.ts, whose matching the controller shares) plus the fields only
 * binding and provisioning touch.
 */
import type {
  PersistentVolumeClaim as MatchedClaim,
  PersistentVolume as MatchedVolume,
} from '../../scheduler/plugins/volume-matching.ts';
import type { ResourceList } from '../../scheduler/types.ts';
import type { KubeObject } from '../../types/meta.ts';

export type { ClaimReference } from '../../scheduler/plugins/volume-matching.ts';

export interface PersistentVolumeClaim extends KubeObject {
  spec?: NonNullable<MatchedClaim['spec']>;
  status?: { phase?: string; accessModes?: string[]; capacity?: ResourceList };
}

export interface PersistentVolume extends KubeObject {
  spec?: NonNullable<MatchedVolume['spec']> & {
    persistentVolumeReclaimPolicy?: string;
    hostPath?: { path: string; type?: string };
  };
  status?: { phase?: string; message?: string; reason?: string };
}

export interface StorageClass extends KubeObject {
  provisioner?: string;
  volumeBindingMode?: string;
  reclaimPolicy?: string;
}

export {
  bindCompleted,
  boundByController,
  selectedNode,
} from '../../scheduler/plugins/volume-matching.ts';
/** Set on a claim when the controller hands it to a provisioner, in the GA and the beta spelling. */
export const storageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const betaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
/** Set on a volume by the provisioner that made it: the volume is that provisioner's to delete. */
export const provisionedBy = 'pv.kubernetes.io/provisioned-by';
