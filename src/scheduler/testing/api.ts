/**
 * For tests that run the scheduler as it runs in a cluster: a registry on an embedded store in a temp
 * dir, a local client on it as an admin, and objects to create through it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalClient } from '../../client/local-client.ts';
import type { KubeClient } from '../../client/types.ts';
import { createRegistry } from '../../registry/index.ts';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import type { KubeObject } from '../../types/meta.ts';

export interface TestApi {
  client: KubeClient;
  close(): Promise<void>;
}

export async function startTestApi(): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-sched-'));
  const store = await createEmbeddedStore({ dataDir: dir });
  const client = createLocalClient(await createRegistry({ store }), { username: 'admin', groups: ['system:masters'] });
  return {
    client,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function nodeObject(name: string, zone = 'zone-a'): KubeObject {
  const allocatable = { cpu: '4', memory: '16Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } },
    spec: {},
    status: { allocatable, capacity: allocatable },
  };
}

export function podObject(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}
