/**
 * Objects every cluster has from its first start (contract §14.5): the four system namespaces and the
 * `kubernetes` Service with its Endpoints and EndpointSlice, plus the default StorageClass a kind
 * cluster comes with. Idempotent: what exists is left alone.
 */
import { isStatusError } from '../status.ts';
import { isStorageError } from '../storage/types.ts';
import { kubernetesServiceIP } from './allocators/service-allocators.ts';
import { createObject } from './create.ts';
import type { RegistryState } from './registry-state.ts';
import type { RequestContext } from './types.ts';

export interface APIServerAddress {
  host: string;
  port: number;
}

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const seeder: RequestContext = { user: { username: 'system:apiserver', groups: ['system:masters'] }, trusted: true };

async function ensure(
  state: RegistryState,
  group: string,
  version: string,
  plural: string,
  namespace: string | undefined,
  body: object,
): Promise<void> {
  const def = state.table.lookup(group, version, plural);
  if (!def) return;
  try {
    await createObject(state, def, namespace, body, seeder);
  } catch (err) {
    if (!(isStatusError(err) && err.code === 409)) throw err;
  }
}

/**
 * Store keys outside `/registry/` recording seeds made once. kind installs its StorageClass when the
 * cluster is created, and from then on the class is the user's: a restart must not bring back a class
 * the user deleted. A data dir from before wharf seeded the class has no marker and gets it once.
 */
const seededOnce = '/wharf/seeded/';

async function ensureOnce(state: RegistryState, seed: string, create: () => Promise<void>): Promise<void> {
  const marker = `${seededOnce}${seed}`;
  if ((await state.store.get(marker)).kv) return;
  await create();
  try {
    await state.store.create(marker, new TextEncoder().encode(seed));
  } catch (err) {
    // Another API server on the same store seeded it at the same moment.
    if (!isStorageError(err, 'AlreadyExists')) throw err;
  }
}

/**
 * kind's `standard` class, with the provisioner the controller manager simulates
 * (controllers/persistent-volume) in the place of kind's local-path-provisioner.
 */
const standardStorageClass = {
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'sim.wharf.dev/hostpath',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: false,
};

export async function seedCluster(state: RegistryState, apiserver: APIServerAddress): Promise<void> {
  for (const name of systemNamespaces) await ensure(state, '', 'v1', 'namespaces', undefined, { metadata: { name } });
  // Endpoints need an IP; a host name such as `localhost` is served on loopback.
  const address = /^\d+\.\d+\.\d+\.\d+$/.test(apiserver.host) ? apiserver.host : '127.0.0.1';
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const port = { name: 'https', port: apiserver.port, protocol: 'TCP' };
  await ensure(state, '', 'v1', 'services', 'default', {
    metadata: { name: 'kubernetes', labels },
    spec: {
      type: 'ClusterIP',
      clusterIP: kubernetesServiceIP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiserver.port }],
    },
  });
  await ensure(state, '', 'v1', 'endpoints', 'default', {
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: address }], ports: [port] }],
  });
  await ensure(state, 'discovery.k8s.io', 'v1', 'endpointslices', 'default', {
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [port],
  });
  await ensureOnce(state, 'storageclasses/standard', () =>
    ensure(state, 'storage.k8s.io', 'v1', 'storageclasses', undefined, standardStorageClass),
  );
}
