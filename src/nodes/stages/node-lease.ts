/**
 * The node Lease in kube-node-lease the kubelet renews every 10 s (leaseDurationSeconds 40, so the
 * node lifecycle controller sees a node as gone after four missed renewals). Owned by the Node, so it
 * goes when the Node goes.
 */
import type { ResourceClient } from '../../client/types.ts';
import { toMicroTime } from '../../controllers/runtime/clock.ts';
import { isStatusError } from '../../status.ts';
import type { Lease } from '../api-types.ts';

export const leaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;
export const renewIntervalMs = 10_000;

export function nodeLease(nodeName: string, nodeUID: string | undefined, now: number): Lease {
  const lease: Lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: nodeName, namespace: leaseNamespace },
    spec: { holderIdentity: nodeName, leaseDurationSeconds, renewTime: toMicroTime(now) },
  };
  if (nodeUID) lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUID }];
  return lease;
}

/** Renews (or creates) the lease; keeps the last written copy in `state` so renewals need no read. */
export async function renewLease(
  api: ResourceClient<Lease>,
  state: { lease?: Lease },
  nodeName: string,
  nodeUID: string | undefined,
  now: number,
): Promise<void> {
  try {
    if (!state.lease) {
      try {
        state.lease = await api.get(nodeName, leaseNamespace);
      } catch (err) {
        if (!(isStatusError(err) && err.code === 404)) throw err;
        state.lease = await api.create(nodeLease(nodeName, nodeUID, now));
        return;
      }
    }
    const renewed: Lease = {
      ...state.lease,
      spec: { ...state.lease.spec, holderIdentity: nodeName, leaseDurationSeconds, renewTime: toMicroTime(now) },
    };
    state.lease = await api.update(renewed);
  } catch (err) {
    // Conflict or NotFound: read again on the next renewal.
    state.lease = undefined;
    if (!(isStatusError(err) && (err.code === 409 || err.code === 404))) throw err;
  }
}
