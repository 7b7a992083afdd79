/**
 * PersistentVolumes and the claims they can satisfy, decided as kube's component-helpers/storage/volume
 * does on the scheduler's path (FindMatchingVolume, CheckNodeAffinity, CheckAccessModes,
 * GetPersistentVolumeClaimClass), narrowed to the fields the scheduler reads.
 */
import { parseQuantity } from '../../quantity.ts';
import { type LabelSelector, labelSelectorFromSpec } from '../../selectors/index.ts';
import type { LabelSelector as LabelSelectorSpec, ObjectMeta } from '../../types/meta.ts';
import type { Node, NodeSelectorTerm, ResourceList } from '../types.ts';
import { matchesAnyTerm } from './node-selector.ts';

export interface ClaimReference {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface PersistentVolumeClaim {
  metadata: ObjectMeta;
  spec?: {
    storageClassName?: string | null;
    volumeName?: string;
    accessModes?: string[];
    volumeMode?: string;
    selector?: LabelSelectorSpec | null;
    resources?: { requests?: ResourceList };
  };
  status?: { phase?: string; accessModes?: string[]; capacity?: ResourceList };
}

export interface PersistentVolume {
  metadata: ObjectMeta;
  spec?: {
    storageClassName?: string;
    claimRef?: ClaimReference | null;
    capacity?: ResourceList;
    accessModes?: string[];
    volumeMode?: string;
    nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } | null } | null;
  };
  status?: { phase?: string };
}

export interface StorageClass {
  metadata: ObjectMeta;
  provisioner?: string;
  volumeBindingMode?: string;
  allowedTopologies?: { matchLabelExpressions?: { key: string; values?: string[] }[] }[];
}

/** Set on both objects when the PV controller (or the scheduler standing in for it) made the binding. */
export const boundByController = 'pv.kubernetes.io/bound-by-controller';
/** Set on a claim once its binding is complete. */
export const bindCompleted = 'pv.kubernetes.io/bind-completed';
/** Set by the scheduler on a WaitForFirstConsumer claim: the node its volume must reach. */
export const selectedNode = 'volume.kubernetes.io/selected-node';

/** The beta annotation still wins over spec.storageClassName, as in kube. */
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';
/** The provisioner of classes for pre-created volumes only (local volumes): nothing will be created. */
const noProvisioner = 'kubernetes.io/no-provisioner';

export const claimClassOf = (claim: Readonly<PersistentVolumeClaim>): string =>
  claim.metadata.annotations?.[betaClassAnnotation] ?? claim.spec?.storageClassName ?? '';

const volumeClassOf = (volume: Readonly<PersistentVolume>): string =>
  volume.metadata.annotations?.[betaClassAnnotation] ?? volume.spec?.storageClassName ?? '';

const storageOf = (list: ResourceList | undefined): number => parseQuantity(list?.storage ?? 0);

/** Required node affinity admits the node; a volume without it is reachable from every node. */
export function volumeAdmitsNode(volume: Readonly<PersistentVolume>, node: Node): boolean {
  const required = volume.spec?.nodeAffinity?.required;
  return !required || matchesAnyTerm(node, required.nodeSelectorTerms ?? []);
}

/** kube's IsVolumeBoundToClaim: a claimRef without uid (pre-bound by a user) names the claim alone. */
export function refersTo(ref: Readonly<ClaimReference>, claim: Readonly<PersistentVolumeClaim>): boolean {
  return (
    ref.name === claim.metadata.name &&
    ref.namespace === claim.metadata.namespace &&
    (!ref.uid || ref.uid === claim.metadata.uid)
  );
}

/** An unbound claim waiting for its first consumer, with what matching reads of it worked out once per cycle. */
export interface ClaimRequest {
  claim: Readonly<PersistentVolumeClaim>;
  storageClass: Readonly<StorageClass>;
  className: string;
  request: number;
  volumeMode: string;
  selector: LabelSelector | undefined;
}

export function toClaimRequest(claim: Readonly<PersistentVolumeClaim>, storageClass: Readonly<StorageClass>) {
  const selector = claim.spec?.selector;
  return {
    claim,
    storageClass,
    className: claimClassOf(claim),
    request: storageOf(claim.spec?.resources?.requests),
    volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    selector: selector ? labelSelectorFromSpec(selector) : undefined,
  } satisfies ClaimRequest;
}

/** A volume as matching sees it during one cycle. */
export interface Candidate {
  volume: Readonly<PersistentVolume>;
  capacity: number;
  className: string;
  volumeMode: string;
  /** The claim it is bound to, or promised to by a pod still being bound (the scheduler's assume cache). */
  claimRef: Readonly<ClaimReference> | undefined;
  /**
   * Free to bind. kube takes only phase Available; Pending counts too, as the scheduler may run without
   * the PV controller that moves a new volume on from Pending (Bound, Released and Failed volumes do not).
   */
  isAvailable: boolean;
}

export function toCandidate(volume: Readonly<PersistentVolume>, claimRef: Readonly<ClaimReference> | undefined) {
  const phase = volume.status?.phase;
  return {
    volume,
    capacity: storageOf(volume.spec?.capacity),
    className: volumeClassOf(volume),
    volumeMode: volume.spec?.volumeMode ?? 'Filesystem',
    claimRef,
    isAvailable: phase === undefined || phase === 'Pending' || phase === 'Available',
  } satisfies Candidate;
}

/**
 * The volume for `request` on `node` (kube's FindMatchingVolume): one already bound to the claim if it
 * admits the node (and nothing else then), else the smallest free one of the claim's class, mode and
 * selector with room for the request, all of its access modes and affinity for the node. `taken` are
 * the volumes already chosen for the pod's other claims.
 */
export function findMatchingVolume(
  request: ClaimRequest,
  candidates: readonly Candidate[],
  node: Node,
  taken: readonly Candidate[] | undefined,
): Candidate | undefined {
  let smallest: Candidate | undefined;
  for (const candidate of candidates) {
    if (taken?.includes(candidate)) continue;
    const ref = candidate.claimRef;
    if (ref && !refersTo(ref, request.claim)) continue;
    if (candidate.capacity < request.request || candidate.volumeMode !== request.volumeMode) continue;
    const admitsNode = volumeAdmitsNode(candidate.volume, node);
    if (ref) return admitsNode ? candidate : undefined;
    if (!candidate.isAvailable || candidate.className !== request.className || !admitsNode) continue;
    if (request.selector && !request.selector.matches(candidate.volume.metadata.labels)) continue;
    if (!coversAccessModes(candidate.volume, request.claim)) continue;
    if (!smallest || candidate.capacity < smallest.capacity) smallest = candidate;
  }
  return smallest;
}

function coversAccessModes(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim>): boolean {
  const offered = volume.spec?.accessModes ?? [];
  return (claim.spec?.accessModes ?? []).every((mode) => offered.includes(mode));
}

/**
 * The claim's class can create a volume reachable from the node (kube's checkVolumeProvisions without
 * capacity tracking): it names a real provisioner and its allowedTopologies, if any, admit the node
 * (terms ORed, expressions ANDed, an empty term admitting nothing).
 */
export function canProvision(storageClass: Readonly<StorageClass>, node: Node): boolean {
  const provisioner = storageClass.provisioner ?? '';
  if (provisioner === '' || provisioner === noProvisioner) return false;
  const topologies = storageClass.allowedTopologies ?? [];
  if (topologies.length === 0) return true;
  const labels = node.metadata.labels ?? {};
  return topologies.some((term) => {
    const expressions = term.matchLabelExpressions ?? [];
    return (
      expressions.length > 0 &&
      expressions.every((e) => {
        const value = labels[e.key];
        return value !== undefined && (e.values ?? []).includes(value);
      })
    );
  });
}
