/** PersistentVolumes and claims start in phase Pending until a binder moves them on. */
import type { Strategy } from '../types.ts';

export const persistentVolumeStrategy: Strategy = {
  deleteReturnsObject: true,
  prepareForCreate(object) {
    object.status = { phase: 'Pending' };
  },
};
