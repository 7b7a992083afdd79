/**
 * The PersistentVolume controller (kube-controller-manager's persistentvolume-binder,
 * pkg/controller/volume/persistentvolume/pv_controller.go), with the provisioner of the seeded
 * `standard` class (hostpath-provisioner.ts) built in where a kind cluster runs a separate one.
 *
 * Claims: an unbound claim binds to a volume already naming it, else (Immediate binding) to the
 * smallest free volume that fits; else it waits for its first consumer (WaitForFirstConsumer, until
 * the scheduler picks a node), is handed to its class's provisioner, or stays Pending. A bound claim
 * whose volume is gone or taken is Lost. Volumes: free ones are Available; a volume whose claim was
 * deleted is Released and then kept (Retain) or, if this provisioner made it, deleted (Delete).
 *
 * Keys are `claims/<namespace>/<name>` and `volumes/<name>`; one worker, as kube runs one per queue,
 * so two claims are never matched to one volume at the same moment.
 */
import { persistentVolumeClaims, persistentVolumes, pods as podsRef, storageClasses } from '../../client/resources.ts';
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import { createEventRecorder } from '../../events/recorder.ts';
import type { Pod } from '../../nodes/api-types.ts';
import { claimClassOf, refersTo } from '../../scheduler/plugins/volume-matching.ts';
import { type Clock, realClock } from '../runtime/clock.ts';
import type { Informers } from '../runtime/informer-factory.ts';
import type { Controller } from '../runtime/run-controller.ts';
import { createWorkQueue } from '../runtime/work-queue.ts';
import {
  bind,
  orNotFound,
  setClaimPhase,
  setClaimProvisioner,
  setVolumePhase,
  unbindVolume,
  type VolumeApis,
} from './binding.ts';
import { createHostPathProvisioner, hostPathProvisioner, isProvisionedHere } from './hostpath-provisioner.ts';
import { claimsOfPod, fitsPreBound, matchingVolume } from './matching.ts';
import {
  bindCompleted,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
  selectedNode,
} from './types.ts';

export interface PersistentVolumeControllerDependencies {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
}

const volumesByClaim = 'persistent-volume/claim';
const podsByClaim = 'persistent-volume/pod-claims';

const claimKey = (namespace: string | undefined, name: string | undefined) => `claims/${namespace}/${name}`;
const volumeKey = (name: string | undefined) => `volumes/${name}`;
const isUnbound = (claim: Readonly<PersistentVolumeClaim>) => claim.metadata.annotations?.[bindCompleted] === undefined;

/**
 * Event messages as kube's PV controller words them (pv_controller.go; the class and plugin ones are the
 * errors of its StorageClass lister and volume plugin manager, which it passes on).
 */
const messages = {
  noClass: 'no persistent volumes available for this claim and no storage class is set',
  firstConsumer: 'waiting for first consumer to be created before binding',
  lostReference: 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
  lostVolume: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
  misbound: 'Two claims are bound to the same volume, this one is bound incorrectly',
  unknownPolicy: 'Volume has unrecognized PersistentVolumeReclaimPolicy',
  takenVolume: (volume: string) => `volume "${volume}" already bound to a different claim.`,
  noClassObject: (className: string) => `storageclass.storage.k8s.io "${className}" not found`,
  noPlugin: (provisioner: string) => `no volume plugin matched name: ${provisioner}`,
  external: (provisioner: string) =>
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the ` +
    'system administrator. If volume creation is delayed, please verify that the provisioner is running and ' +
    'correctly registered.',
};

export function persistentVolumeController(d: PersistentVolumeControllerDependencies): Controller & {
  reconcile(key: string): Promise<void>;
} {
  const clock = d.clock ?? realClock;
  const queue = createWorkQueue({ clock });
  const claims = d.informers.informerFor(persistentVolumeClaims as ResourceRef<PersistentVolumeClaim>);
  const volumes = d.informers.informerFor(persistentVolumes as ResourceRef<PersistentVolume>);
  const classes = d.informers.informerFor(storageClasses as ResourceRef<StorageClass>);
  const pods = d.informers.informerFor(podsRef as ResourceRef<Pod>);
  const apis: VolumeApis = {
    volumes: d.client.resource(persistentVolumes as ResourceRef<PersistentVolume>),
    claims: d.client.resource(persistentVolumeClaims as ResourceRef<PersistentVolumeClaim>),
  };
  const controllerEvents = createEventRecorder(d.client, { component: 'persistentvolume-controller' }, () =>
    clock.now(),
  );
  const provisioner = createHostPathProvisioner({ client: d.client, informers: d.informers, clock });

  volumes.addIndex(volumesByClaim, (v) => {
    const ref = v.spec?.claimRef;
    return ref?.name ? [`${ref.namespace}/${ref.name}`] : [];
  });
  pods.addIndex(podsByClaim, (p) => claimsOfPod(p).map((name) => `${p.metadata.namespace}/${name}`));

  /** Unbound claims, of one class when given: a new free volume or a class change may serve them. */
  const enqueueUnbound = (className?: string) => {
    for (const c of claims.list()) {
      if (isUnbound(c) && (className === undefined || claimClassOf(c) === className)) {
        queue.add(claimKey(c.metadata.namespace, c.metadata.name));
      }
    }
  };
  const enqueueClaim = (c: Readonly<PersistentVolumeClaim>) =>
    queue.add(claimKey(c.metadata.namespace, c.metadata.name));
  claims.addHandlers({
    onAdd: enqueueClaim,
    onUpdate: (_old, c) => enqueueClaim(c),
    // The claim's volumes are released.
    onDelete(c) {
      if (c.spec?.volumeName) queue.add(volumeKey(c.spec.volumeName));
      for (const v of volumes.byIndex(volumesByClaim, `${c.metadata.namespace}/${c.metadata.name}`)) {
        queue.add(volumeKey(v.metadata.name));
      }
    },
  });
  const onVolume = (v: Readonly<PersistentVolume>) => {
    queue.add(volumeKey(v.metadata.name));
    if (!v.spec?.claimRef) enqueueUnbound(v.spec?.storageClassName ?? '');
  };
  volumes.addHandlers({
    onAdd: onVolume,
    onUpdate: (_old, v) => onVolume(v),
    // A bound claim whose volume is gone is Lost.
    onDelete(v) {
      const ref = v.spec?.claimRef;
      if (ref?.name) queue.add(claimKey(ref.namespace, ref.name));
    },
  });
  classes.addHandlers({
    onAdd: (c) => enqueueUnbound(c.metadata.name),
    onUpdate: (_o, c) => enqueueUnbound(c.metadata.name),
  });
  // A new consumer that is not scheduled yet changes what a waiting claim says it waits for.
  pods.addHandlers({
    onAdd(p) {
      if (p.spec?.nodeName) return;
      for (const name of claimsOfPod(p)) queue.add(claimKey(p.metadata.namespace, name));
    },
  });

  async function syncClaim(namespace: string, name: string): Promise<void> {
    const claim = claims.getByName(namespace, name);
    if (!claim) return;
    if (isUnbound(claim)) await syncUnboundClaim(claim);
    else await syncBoundClaim(claim);
  }

  async function syncUnboundClaim(claim: Readonly<PersistentVolumeClaim>): Promise<void> {
    // A claim on its way out gets no volume; one it had is released when it is gone.
    if (claim.metadata.deletionTimestamp) return;
    const volumeName = claim.spec?.volumeName;
    if (volumeName) return syncPreBoundClaim(claim, volumeName);
    const className = claimClassOf(claim);
    const storageClass = className ? classes.getByName(undefined, className) : undefined;
    const isDelayed = storageClass?.volumeBindingMode === 'WaitForFirstConsumer';
    const candidates = isDelayed
      ? volumes.byIndex(volumesByClaim, `${claim.metadata.namespace}/${claim.metadata.name}`)
      : volumes.list();
    const volume = matchingVolume(claim, storageClass, candidates);
    if (volume) return bind(apis, volume, claim);
    if (isDelayed && !claim.metadata.annotations?.[selectedNode]) reportWaiting(claim);
    else if (className) return provision(claim, className, storageClass);
    else controllerEvents.event(claim, 'Normal', 'FailedBinding', messages.noClass);
    await setClaimPhase(apis, claim, 'Pending');
  }

  /** The user named the volume: bind to it when it is free and fits, or already names this claim. */
  async function syncPreBoundClaim(claim: Readonly<PersistentVolumeClaim>, volumeName: string): Promise<void> {
    const volume = volumes.getByName(undefined, volumeName);
    const ref = volume?.spec?.claimRef;
    if (volume && ((!ref && fitsPreBound(volume, claim)) || (ref && refersTo(ref, claim)))) {
      return bind(apis, volume, claim);
    }
    if (volume && ref && !refersTo(ref, claim)) {
      controllerEvents.event(claim, 'Warning', 'FailedBinding', messages.takenVolume(volumeName));
    }
    await setClaimPhase(apis, claim, 'Pending');
  }

  async function syncBoundClaim(claim: Readonly<PersistentVolumeClaim>): Promise<void> {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) return lose(claim, 'ClaimLost', messages.lostReference);
    // The cache may not have seen a volume made a moment ago: ask before calling it lost.
    const volume = volumes.getByName(undefined, volumeName) ?? (await orNotFound(apis.volumes.get(volumeName)));
    if (!volume) return lose(claim, 'ClaimLost', messages.lostVolume);
    const ref = volume.spec?.claimRef;
    if (!ref || ref.uid === claim.metadata.uid) return bind(apis, volume, claim);
    return lose(claim, 'ClaimMisbound', messages.misbound);
  }

  async function lose(claim: Readonly<PersistentVolumeClaim>, reason: string, message: string): Promise<void> {
    if (claim.status?.phase === 'Lost') return;
    controllerEvents.event(await setClaimPhase(apis, claim, 'Lost'), 'Warning', reason, message);
  }

  /** kube's emitEventForUnboundDelayBindingClaim: the pods not scheduled yet, if any, are named. */
  function reportWaiting(claim: Readonly<PersistentVolumeClaim>): void {
    const waiting = pods
      .byIndex(podsByClaim, `${claim.metadata.namespace}/${claim.metadata.name}`)
      .filter((p) => !p.spec?.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
      .map((p) => p.metadata.name as string)
      .sort();
    if (waiting.length === 0) {
      controllerEvents.event(claim, 'Normal', 'WaitForFirstConsumer', messages.firstConsumer);
    } else {
      const subject = waiting.length === 1 ? `pod ${waiting[0]}` : `pods ${waiting.join(',')}`;
      controllerEvents.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for ${subject} to be scheduled`);
    }
  }

  /**
   * The PV controller's part (provisionClaim): a class naming an in-tree plugin (`kubernetes.io/…`)
   * fails, as wharf has none; any other provisioner is external and gets the claim annotated for it.
   * When that is ours, it makes the volume at once, naming the claim in its claimRef.
   */
  async function provision(
    claim: Readonly<PersistentVolumeClaim>,
    className: string,
    storageClass: Readonly<StorageClass> | undefined,
  ): Promise<void> {
    const name = storageClass?.provisioner ?? '';
    if (!storageClass || name.startsWith('kubernetes.io/')) {
      const message = storageClass ? messages.noPlugin(name) : messages.noClassObject(className);
      controllerEvents.event(claim, 'Warning', 'ProvisioningFailed', message);
      await setClaimPhase(apis, claim, 'Pending');
      return;
    }
    const handedOver = await setClaimProvisioner(apis, claim, name);
    controllerEvents.event(handedOver, 'Normal', 'ExternalProvisioning', messages.external(name));
    if (name === hostPathProvisioner) await provisioner.provision(handedOver, storageClass);
  }

  async function syncVolume(name: string): Promise<void> {
    const volume = volumes.getByName(undefined, name);
    if (!volume) return;
    const ref = volume.spec?.claimRef;
    if (!ref) {
      await setVolumePhase(apis, volume, 'Available');
      return;
    }
    if (!ref.uid) {
      // Pre-bound by a user to a claim that has not taken it yet: the claim's sync will.
      await setVolumePhase(apis, volume, 'Available');
      queue.add(claimKey(ref.namespace, ref.name));
      return;
    }
    let claim = claims.getByName(ref.namespace, ref.name ?? '');
    const phase = volume.status?.phase;
    // The cache may lag a claim just made (or re-made under the same name): ask before releasing.
    if ((!claim || claim.metadata.uid !== ref.uid) && phase !== 'Released' && phase !== 'Failed') {
      claim = await orNotFound(apis.claims.get(ref.name as string, ref.namespace));
    }
    if (!claim || claim.metadata.uid !== ref.uid) return release(volume);
    const claimed = claim.spec?.volumeName;
    if (!claimed) {
      // Bound on the volume's side only: the claim's sync finishes the binding.
      queue.add(claimKey(claim.metadata.namespace, claim.metadata.name));
      return;
    }
    if (claimed === name) {
      await setVolumePhase(apis, volume, 'Bound');
      return;
    }
    // The claim took another volume: one provisioned for it is not needed; one chosen for it is freed.
    if (isProvisionedHere(volume) && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') return release(volume);
    await unbindVolume(apis, volume);
  }

  /** The claim is gone: Released, then the reclaim policy (kube's reclaimVolume). */
  async function release(volume: Readonly<PersistentVolume>): Promise<void> {
    const phase = volume.status?.phase;
    // A Failed volume keeps saying so while reclaiming is retried.
    const released =
      phase === 'Released' || phase === 'Failed' ? volume : await setVolumePhase(apis, volume, 'Released');
    const policy = released.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    // Deleting is the business of the provisioner that made the volume; another's waits for that one.
    if (policy === 'Delete') await provisioner.reclaim(released);
    else if (policy !== 'Retain' && policy !== 'Recycle' && phase !== 'Failed') {
      const failed = await setVolumePhase(apis, released, 'Failed', messages.unknownPolicy);
      controllerEvents.event(failed, 'Warning', 'VolumeUnknownReclaimPolicy', messages.unknownPolicy);
    }
  }

  async function reconcile(key: string): Promise<void> {
    const [kind, first, second] = key.split('/');
    if (kind === 'claims' && first !== undefined && second !== undefined) await syncClaim(first, second);
    else if (kind === 'volumes' && first !== undefined) await syncVolume(first);
  }

  return { name: 'persistentvolume-binder', queue, workers: 1, reconcile };
}
