/** The client's resource refs, typed with the kubelet's wire shapes. */
import { configMaps, leases, nodes, pods, secrets } from '../client/resources.ts';
import type { ResourceRef } from '../client/types.ts';
import type { ConfigMap, Lease, Node, Pod, Secret } from './api-types.ts';

export const podRef = pods as ResourceRef<Pod>;
export const nodeRef = nodes as ResourceRef<Node>;
export const leaseRef = leases as ResourceRef<Lease>;
export const configMapRef = configMaps as ResourceRef<ConfigMap>;
export const secretRef = secrets as ResourceRef<Secret>;
