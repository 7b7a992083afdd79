/**
 * The scheduler's view of storage for VolumeBinding: informers on PersistentVolumeClaims,
 * PersistentVolumes and StorageClasses, and the API writes that finish a binding. kube-scheduler only
 * sets the volume's claimRef and waits for the PV controller to do the rest. wharf's scheduler finishes
 * the binding itself, the same writes the PV controller (src/controllers/persistent-volume) makes, so a
 * scheduler started without the controller manager (its tests, a split deployment) still starts pods:
 * claimRef (and bound-by-controller when it set the claimRef) on the volume, phase Bound; volumeName,
 * bind-completed and bound-by-controller on the claim, phase Bound with the volume's access modes and
 * capacity. Each write uses the cached object's
 * resourceVersion, so a stale cache fails the binding with a Conflict and the pod is retried.
 */
import { persistentVolumeClaims, persistentVolumes, storageClasses } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import type { Informers } from '../controllers/runtime/informer-factory.ts';
import { copyValue } from '../copy-value.ts';
import type { KubeObject } from '../types/meta.ts';
import type { VolumeAccess } from './plugins/volume-binding.ts';
import {
  bindCompleted,
  boundByController,
  type PersistentVolume,
  type PersistentVolumeClaim,
  refersTo,
  type StorageClass,
  selectedNode,
} from './plugins/volume-matching.ts';

type Stored<T> = T & KubeObject;

/** A copy of a cached (shared, maybe frozen) object to write back, with the apiVersion and kind a body needs. */
const writable = <T>(object: Readonly<T>, kind: string) =>
  ({ ...copyValue(object), apiVersion: 'v1', kind }) as Stored<T>;

export interface VolumeInformers extends VolumeAccess {
  /** Hear every add and update of the three kinds: any of them may let a waiting pod fit. */
  onChange(handler: () => void): void;
  waitForSync(signal: AbortSignal): Promise<void>;
}

export function createVolumeAccess(client: KubeClient, informers: Informers): VolumeInformers {
  const claimInformer = informers.informerFor(persistentVolumeClaims);
  const volumeInformer = informers.informerFor(persistentVolumes);
  const classInformer = informers.informerFor(storageClasses);
  const all = [claimInformer, volumeInformer, classInformer];
  const claimApi = client.resource(persistentVolumeClaims);
  const volumeApi = client.resource(persistentVolumes);

  return {
    claim: (namespace, name) => claimInformer.getByName(namespace, name) as PersistentVolumeClaim | undefined,
    volume: (name) => volumeInformer.getByName(undefined, name) as PersistentVolume | undefined,
    volumes: () => volumeInformer.list() as unknown as PersistentVolume[],
    storageClass: (name) => classInformer.getByName(undefined, name) as StorageClass | undefined,

    async bind(volume, claim) {
      const pv = writable(volume, 'PersistentVolume');
      const { namespace, name, uid, resourceVersion } = claim.metadata;
      pv.spec ??= {};
      const spec = pv.spec;
      if (!spec.claimRef || !refersTo(spec.claimRef, claim)) {
        pv.metadata.annotations = { ...pv.metadata.annotations, [boundByController]: 'yes' };
      }
      spec.claimRef = { kind: 'PersistentVolumeClaim', namespace, name, uid, apiVersion: 'v1', resourceVersion };
      const boundVolume = (await volumeApi.update(pv)) as Stored<PersistentVolume>;
      if (boundVolume.status?.phase !== 'Bound') {
        await volumeApi.updateStatus({ ...boundVolume, status: { ...boundVolume.status, phase: 'Bound' } });
      }

      const pvc = writable(claim, 'PersistentVolumeClaim');
      pvc.spec = { ...pvc.spec, volumeName: volume.metadata.name as string };
      pvc.metadata.annotations = { ...pvc.metadata.annotations, [bindCompleted]: 'yes', [boundByController]: 'yes' };
      const boundClaim = (await claimApi.update(pvc)) as Stored<PersistentVolumeClaim>;
      const status: NonNullable<PersistentVolumeClaim['status']> = { ...boundClaim.status, phase: 'Bound' };
      if (spec.accessModes) status.accessModes = spec.accessModes;
      if (spec.capacity?.storage !== undefined) status.capacity = { storage: spec.capacity.storage };
      await claimApi.updateStatus({ ...boundClaim, status });
    },

    async selectNode(claim, nodeName) {
      if (claim.metadata.annotations?.[selectedNode] === nodeName) return;
      const pvc = writable(claim, 'PersistentVolumeClaim');
      pvc.metadata.annotations = { ...pvc.metadata.annotations, [selectedNode]: nodeName };
      await claimApi.update(pvc);
    },

    onChange(handler) {
      for (const informer of all) informer.addHandlers({ onAdd: handler, onUpdate: handler });
    },
    async waitForSync(signal) {
      await Promise.all(all.map((i) => i.waitForSync(signal)));
    },
  };
}
