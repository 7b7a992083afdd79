/** PersistentVolumes and claims start in phase Pending until a binder moves them on. */
import {
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate,
} from '../../openapi/validation/semantic/core-objects.ts';
import type { Strategy } from '../types.ts';
import { objectField, setDefault } from './shared.ts';

export const persistentVolumeStrategy: Strategy = {
  deleteReturnsObject: true,
  defaults(object) {
    const spec = objectField(object, 'spec');
    setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(spec, 'volumeMode', 'Filesystem');
    // As for a pod's hostPath volume: an unset type is "" (no check of what is at the path).
    const hostPath = spec.hostPath;
    if (hostPath && typeof hostPath === 'object') setDefault(hostPath as Record<string, unknown>, 'type', '');
  },
  prepareForCreate(object) {
    object.status = { phase: 'Pending' };
  },
};

export const persistentVolumeClaimStrategy: Strategy = {
  ...persistentVolumeStrategy,
  defaults(object) {
    setDefault(objectField(object, 'spec'), 'volumeMode', 'Filesystem');
  },
  validate: validatePersistentVolumeClaim,
  validateUpdate: validatePersistentVolumeClaimUpdate,
};
