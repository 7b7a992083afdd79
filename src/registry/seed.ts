/**
 * Objects every cluster has from its first start (contract §14.5): the four system namespaces and the
 * `kubernetes` Service with its Endpoints and EndpointSlice. Idempotent: what exists is left alone.
 */
import { isStatusError } from '../status.ts';
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
}
