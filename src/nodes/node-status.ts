/**
 * The Node object a simulated kubelet registers and the status it heartbeats. Shapes follow a kind /
 * kubeadm node: labels, addresses, nodeInfo, capacity and allocatable (capacity minus the kubelet's
 * 100Mi memory eviction threshold), and the four kubelet conditions with their reasons.
 */
import { createHash } from 'node:crypto';
import type { Node, NodeCondition, ResourceList } from './api-types.ts';

export interface NodeConfig {
  name: string;
  /** Position in the node pool; picks the podCIDR and InternalIP. */
  index: number;
  zone?: string;
  region?: string;
  isControlPlane?: boolean;
  /** Overrides of the default capacity (cpu 4, memory 16Gi, pods 110, ephemeral-storage 100Gi). */
  capacity?: ResourceList;
  labels?: Record<string, string>;
  /** InternalIP where this node's kubelet endpoint listens (`wharf nodes`); default: one from the pool. */
  address?: string;
  /** status.daemonEndpoints.kubeletEndpoint.Port; default 10250. */
  kubeletPort?: number;
}

/** The node's InternalIP, also the hostIP of its pods. */
export const nodeAddress = (config: NodeConfig): string => config.address ?? internalIP(config.index);

export const defaultCapacity: Readonly<ResourceList> = {
  cpu: '4',
  memory: '16Gi',
  pods: '110',
  'ephemeral-storage': '100Gi',
};

const evictionReserve = 100 * 1024 * 1024;

const kib = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

function bytesOf(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) return Number(quantity);
  return Number(match[1]) * (binary[match[2] ?? ''] ?? 1);
}

/** Capacity and allocatable as the kubelet reports them (memory and storage in Ki, like cAdvisor). */
export function nodeResources(config: NodeConfig): { capacity: ResourceList; allocatable: ResourceList } {
  const wanted = { ...defaultCapacity, ...config.capacity };
  const capacity: ResourceList = { ...wanted, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  const allocatable: ResourceList = { ...capacity };
  if (wanted.memory) {
    capacity.memory = kib(bytesOf(wanted.memory));
    allocatable.memory = kib(bytesOf(wanted.memory) - evictionReserve);
  }
  if (wanted['ephemeral-storage']) {
    capacity['ephemeral-storage'] = kib(bytesOf(wanted['ephemeral-storage']));
    // The kubelet's nodefs.available<10% eviction threshold, in bytes as a real node shows it.
    allocatable['ephemeral-storage'] = String(Math.floor(bytesOf(wanted['ephemeral-storage']) * 0.9));
  }
  return { capacity, allocatable };
}

/**
 * `10.244.<index>.0/24` for the first 12 nodes of a /16 and onwards through 10.0.0.0/8, so up to
 * 65,536 nodes each get their own /24: index 0 → 10.244.0.0/24, 300 → 10.245.44.0/24.
 */
export function podCIDR(index: number): string {
  const block = (244 * 256 + index) % 65_536;
  return `10.${Math.floor(block / 256)}.${block % 256}.0/24`;
}

/** 172.18.0.2, 172.18.0.3, …: the addresses kind gives its node containers. */
export function internalIP(index: number): string {
  const host = index + 2;
  return `172.18.${Math.floor(host / 250)}.${(host % 250) + (host >= 250 ? 2 : 0)}`;
}

function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

const uuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

export function nodeLabels(config: NodeConfig): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': config.name,
    'kubernetes.io/os': 'linux',
  };
  if (config.zone) labels['topology.kubernetes.io/zone'] = config.zone;
  const region = config.region ?? (config.zone ? 'wharf' : undefined);
  if (region) labels['topology.kubernetes.io/region'] = region;
  if (config.isControlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return { ...labels, ...config.labels };
}

/** The kubelet's own conditions, healthy; transition times kept from `previous` when unchanged. */
export function nodeConditions(previous: readonly NodeCondition[] | undefined, now: string): NodeCondition[] {
  const healthy: Array<[string, 'True' | 'False', string, string]> = [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
  ];
  return healthy.map(([type, status, reason, message]) => {
    const old = previous?.find((c) => c.type === type);
    const lastTransitionTime = old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  });
}

/** The Node to create at registration. `kubeletVersion` is the server's gitVersion, e.g. v1.35.0. */
export function registeredNode(config: NodeConfig, kubeletVersion: string, now: string, bootSeed: string): Node {
  const { capacity, allocatable } = nodeResources(config);
  const machine = hexId(`machine/${config.name}`);
  const cidr = podCIDR(config.index);
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.name,
      labels: nodeLabels(config),
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr], providerID: `wharf://${config.name}` },
    status: {
      capacity,
      allocatable,
      conditions: nodeConditions(undefined, now),
      addresses: [
        { type: 'InternalIP', address: nodeAddress(config) },
        { type: 'Hostname', address: config.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: config.kubeletPort ?? 10250 } },
      nodeInfo: {
        machineID: machine,
        systemUUID: uuid(hexId(`system/${config.name}`)),
        bootID: uuid(hexId(`boot/${config.name}/${bootSeed}`)),
        kernelVersion: '6.8.0-wharf',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [],
    },
  };
  if (config.isControlPlane && node.spec)
    node.spec.taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  return node;
}
