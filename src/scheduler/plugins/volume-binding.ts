/**
 * VolumeBinding, kept simple: a pod's PersistentVolumeClaims (its own and its generic ephemeral
 * volumes') must exist and be bound, or wait for their first consumer (StorageClass volumeBindingMode
 * WaitForFirstConsumer). Filter checks that bound claims' volumes admit the node and finds a volume on it
 * for each waiting claim, or lets a class with a real provisioner create one; Reserve holds the chosen
 * volumes against other pods in flight; PreBind writes the bindings. Left out: storage capacity
 * (CSIStorageCapacity), the capacity score, CSI migration. Reasons are worded as kube-scheduler's
 * volumebinding plugin words them (volume_binding.go, binder.go).
 */
import {
  errorStatus,
  type FilterPlugin,
  type PluginStatus,
  type PreBindPlugin,
  type PreFilterPlugin,
  type ReservePlugin,
  sharedRefusal,
  skip,
  success,
  unresolvable,
} from '../framework.ts';
import { podKey } from '../node-info.ts';
import type { Node } from '../types.ts';
import { type PodClaims, readPodClaims, usesClaims, type VolumeAccess } from './volume-claims.ts';
import {
  type Candidate,
  type ClaimReference,
  type ClaimRequest,
  canProvision,
  findMatchingVolume,
  type PersistentVolumeClaim,
  selectedNode,
  toCandidate,
  volumeAdmitsNode,
} from './volume-matching.ts';

export const name = 'VolumeBinding';
const stateKey = `${name}/preFilter`;
const reservedKey = `${name}/reserved`;

/** Set on a claim handed to dynamic provisioning: the node its volume must be reachable from. */

export type { VolumeAccess } from './volume-claims.ts';

interface PreFilterState extends PodClaims {
  /** Every volume not being deleted, read once per cycle when some claim waits for one. */
  candidates: readonly Candidate[];
}

/** How the waiting claims get volumes on one node. */
interface Plan {
  bindings: { candidate: Candidate; request: ClaimRequest }[];
  provisions: Readonly<PersistentVolumeClaim>[];
}

const failure = { nodeConflict: 1, bindConflict: 2, volumeMissing: 4 };
// In the order kube's FindPodVolumes appends them.
const reasons: [flag: number, reason: string][] = [
  [failure.nodeConflict, 'node(s) had volume node affinity conflict'],
  [failure.bindConflict, "node(s) didn't find available persistent volumes to bind"],
  [failure.volumeMissing, 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'],
];
const noPlan: Plan = Object.freeze({ bindings: [], provisions: [] }) as unknown as Plan;
const noCandidates: readonly Candidate[] = Object.freeze([]);

/** One shared status per combination of failures, so thousands of refusals count as a few. */
const refusals: PluginStatus[] = [];
function refusal(flags: number): PluginStatus {
  refusals[flags] ??= sharedRefusal(name, unresolvable(...reasons.filter(([f]) => flags & f).map(([, r]) => r)));
  return refusals[flags] as PluginStatus;
}

export function create(
  args: { volumes?: VolumeAccess } = {},
): PreFilterPlugin & FilterPlugin & ReservePlugin & PreBindPlugin {
  const access = args.volumes;
  /** Volumes promised to a claim by a pod between Reserve and the API showing its claimRef, by volume name. */
  const promised = new Map<string, ClaimReference & { pod: string }>();

  /**
   * How the waiting claims get volumes on `node`, or undefined when one cannot. A claim already handed to
   * provisioning for one node stays with it. Filter asks only whether (`record` false, so nothing is kept
   * per node); Reserve asks again for the chosen node and keeps the answer.
   */
  function planOn(state: PreFilterState, node: Node, record: boolean): Plan | undefined {
    const plan: Plan | undefined = record ? { bindings: [], provisions: [] } : undefined;
    let taken: Candidate[] | undefined;
    for (const request of state.waiting) {
      const selected = request.claim.metadata.annotations?.[selectedNode];
      const match = selected === undefined ? findMatchingVolume(request, state.candidates, node, taken) : undefined;
      if (match) {
        plan?.bindings.push({ candidate: match, request });
        if (taken) taken.push(match);
        else taken = [match];
      } else if ((selected ?? node.metadata.name) === node.metadata.name && canProvision(request.storageClass, node)) {
        plan?.provisions.push(request.claim);
      } else return undefined;
    }
    return plan ?? noPlan;
  }

  function candidates(): Candidate[] {
    const view = access as VolumeAccess;
    for (const volumeName of promised.keys()) {
      // Gone, or the API has caught up with the binding: its claimRef speaks for it now.
      const volume = view.volume(volumeName);
      if (!volume || volume.spec?.claimRef) promised.delete(volumeName);
    }
    const list: Candidate[] = [];
    for (const volume of view.volumes()) {
      if (volume.metadata.deletionTimestamp) continue;
      list.push(toCandidate(volume, volume.spec?.claimRef ?? promised.get(volume.metadata.name as string)));
    }
    return list;
  }

  return {
    name,
    // The answer depends on the node and the storage objects, never on the pods placed on the node.
    ignoresPlacedPods: true,
    preFilter(context, pod) {
      if (!access || !usesClaims(pod)) return skip;
      const claims = readPodClaims(pod, access);
      if ('code' in claims) return claims;
      const state: PreFilterState = { ...claims, candidates: noCandidates };
      if (claims.waiting.length > 0) {
        // Smallest request first, as kube does, so small claims leave the big volumes be.
        claims.waiting.sort((a, b) => a.request - b.request);
        state.candidates = candidates();
      }
      context.state.set(stateKey, state);
      return success;
    },
    filter(context, _pod, node) {
      const state = context.state.get(stateKey) as PreFilterState | undefined;
      // Asked without its PreFilter (preemption's dry run after another PreFilter refused): nothing to check.
      if (!state) return success;
      let flags = 0;
      // As kube's checkBoundClaims, the first bound claim that fails decides.
      for (const volume of state.boundVolumes) {
        if (!volume) flags |= failure.volumeMissing;
        else if (!volumeAdmitsNode(volume, node.node)) flags |= failure.nodeConflict;
        if (flags !== 0) break;
      }
      if (state.waiting.length > 0 && !planOn(state, node.node, false)) flags |= failure.bindConflict;
      return flags === 0 ? success : refusal(flags);
    },
    reserve(context, pod, nodeName) {
      const state = context.state.get(stateKey) as PreFilterState | undefined;
      if (!state || state.waiting.length === 0) return success;
      const node = context.snapshot.get(nodeName);
      const plan = node ? planOn(state, node.node, true) : undefined;
      if (!plan)
        return errorStatus(`no volumes for the claims of the pod on node "${nodeName}", which its filter passed`);
      const owner = podKey(pod);
      for (const { candidate, request } of plan.bindings) {
        const { namespace, name: claimName, uid } = request.claim.metadata;
        promised.set(candidate.volume.metadata.name as string, { namespace, name: claimName, uid, pod: owner });
      }
      context.state.set(reservedKey, plan);
      return success;
    },
    unreserve(context, pod) {
      const plan = context.state.get(reservedKey) as Plan | undefined;
      if (!plan) return;
      context.state.delete(reservedKey);
      const owner = podKey(pod);
      for (const { candidate } of plan.bindings) {
        const volumeName = candidate.volume.metadata.name as string;
        if (promised.get(volumeName)?.pod === owner) promised.delete(volumeName);
      }
    },
    preBind(context, _pod, nodeName) {
      const plan = context.state.get(reservedKey) as Plan | undefined;
      // Every pod passes here: one without claims to bind gets a promise that already exists.
      return plan && access ? writeBindings(access, plan, nodeName) : passed;
    },
  };
}

const passed: Promise<PluginStatus> = Promise.resolve(success);

async function writeBindings(access: VolumeAccess, plan: Plan, nodeName: string): Promise<PluginStatus> {
  for (const { candidate, request } of plan.bindings) await access.bind(candidate.volume, request.claim);
  // kube-scheduler now waits (bindTimeoutSeconds) for a provisioner to create and bind the volume. wharf
  // runs none, so the pod is bound at once; an external provisioner watching the selected-node annotation
  // would take the claim from here.
  for (const claim of plan.provisions) await access.selectNode(claim, nodeName);
  return success;
}
