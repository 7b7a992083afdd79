/**
 * The simulated provisioner behind the seeded `standard` class, standing in for the local-path
 * provisioner a kind cluster runs (an external provisioner, built on sig-storage-lib-external-provisioner):
 * a hostPath volume per claim handed to it, named as kube names provisioned volumes (`pvc-<claim uid>`),
 * tied by node affinity to the node the scheduler chose, and deleted once released if its reclaim policy
 * is Delete. Nothing is made on any disk; the path is what the volume would use.
 */
import { nodes as nodesRef, persistentVolumes } from '../../client/resources.ts';
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import { createEventRecorder } from '../../events/recorder.ts';
import { claimClassOf } from '../../scheduler/plugins/volume-matching.ts';
import { isStatusError } from '../../status.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import { claimReference, orNotFound } from './binding.ts';
import {
  type PersistentVolume,
  type PersistentVolumeClaim,
  provisionedBy,
  type StorageClass,
  selectedNode,
} from './types.ts';

export const hostPathProvisioner = 'sim.wharf.dev/hostpath';
const volumeRoot = '/var/lib/wharf/pv';
const hostnameLabel = 'kubernetes.io/hostname';

/** The name kube's PV controller and external provisioners give the volume made for a claim. */
export const provisionedVolumeName = (claim: Readonly<PersistentVolumeClaim>): string => `pvc-${claim.metadata.uid}`;

export const isProvisionedHere = (volume: Readonly<PersistentVolume>): boolean =>
  volume.metadata.annotations?.[provisionedBy] === hostPathProvisioner;

/**
 * The volume to create for `claim` of `storageClass`: the claim's request, access modes and mode, the
 * class's reclaim policy, and, when a node was selected, required affinity to that node's hostname.
 * A claim without a storage request (kube would refuse it; wharf's validation does not yet) gets 0.
 */
export function provisionedVolume(
  claim: Readonly<PersistentVolumeClaim>,
  storageClass: Readonly<StorageClass>,
  hostname: string | undefined,
): PersistentVolume {
  const name = provisionedVolumeName(claim);
  const spec: NonNullable<PersistentVolume['spec']> = {
    capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
    accessModes: [...(claim.spec?.accessModes ?? [])],
    volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    storageClassName: claimClassOf(claim),
    persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
    hostPath: { path: `${volumeRoot}/${name}`, type: 'DirectoryOrCreate' },
    claimRef: claimReference(claim),
  };
  if (hostname !== undefined) {
    const term = { matchExpressions: [{ key: hostnameLabel, operator: 'In' as const, values: [hostname] }] };
    spec.nodeAffinity = { required: { nodeSelectorTerms: [term] } };
  }
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [provisionedBy]: hostPathProvisioner } },
    spec,
  };
}

/** The value volumes on `node` are pinned to: its hostname label, which kubelets set to the node name. */
const hostnameOf = (node: { metadata: { name?: string; labels?: Record<string, string> } }): string =>
  node.metadata.labels?.[hostnameLabel] ?? (node.metadata.name as string);

export interface HostPathProvisioner {
  /** Creates the volume for a claim the PV controller handed over (no-op when it exists). */
  provision(claim: Readonly<PersistentVolumeClaim>, storageClass: Readonly<StorageClass>): Promise<void>;
  /** Deletes a released volume this provisioner made; false for a volume that is not its own. */
  reclaim(volume: Readonly<PersistentVolume>): Promise<boolean>;
}

export function createHostPathProvisioner(d: {
  client: KubeClient;
  informers: Informers;
  clock: Clock;
}): HostPathProvisioner {
  const volumes = d.informers.informerFor(persistentVolumes as ResourceRef<PersistentVolume>);
  const nodes = d.informers.informerFor(nodesRef);
  const volumeApi = d.client.resource(persistentVolumes as ResourceRef<PersistentVolume>);
  const recorder = createEventRecorder(d.client, { component: hostPathProvisioner }, () => d.clock.now());

  async function hostnameFor(claim: Readonly<PersistentVolumeClaim>): Promise<string | undefined> {
    const nodeName = claim.metadata.annotations?.[selectedNode];
    if (!nodeName) return undefined;
    const node = nodes.getByName(undefined, nodeName) ?? (await orNotFound(d.client.resource(nodesRef).get(nodeName)));
    // The chosen node is gone: retried with backoff, until it is back or the scheduler chooses again.
    if (!node) throw new Error(`selected node "${nodeName}" of claim ${claim.metadata.name} not found`);
    return hostnameOf(node);
  }

  return {
    async provision(claim, storageClass) {
      const name = provisionedVolumeName(claim);
      // Made already, maybe a moment ago and not in the cache yet: its claimRef gets it bound.
      if (volumes.getByName(undefined, name) ?? (await orNotFound(volumeApi.get(name)))) return;
      const volume = provisionedVolume(claim, storageClass, await hostnameFor(claim));
      const { namespace, name: claimName } = claim.metadata;
      const provisioning = `External provisioner is provisioning volume for claim "${namespace}/${claimName}"`;
      recorder.event(claim, 'Normal', 'Provisioning', provisioning);
      try {
        await volumeApi.create(volume);
      } catch (err) {
        // Created by an earlier attempt whose answer was lost: that one is the claim's volume.
        if (!(isStatusError(err) && err.code === 409)) throw err;
      }
      recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
    },
    async reclaim(volume) {
      if (!isProvisionedHere(volume)) return false;
      if (!volume.metadata.deletionTimestamp) await orNotFound(volumeApi.delete(volume.metadata.name as string));
      return true;
    },
  };
}
