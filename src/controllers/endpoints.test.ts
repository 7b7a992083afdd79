import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { endpointSlices, endpoints, pods, services } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import {
  calculateSubsets,
  type Endpoints,
  endpointsController,
  lastChangeTriggerTime,
  type Pod,
  resolvePort,
  type Service,
} from './endpoints.ts';
import { desiredSlices, type EndpointSlice, endpointSliceController } from './endpointslice.ts';
import { eventually } from './runtime/eventually.ts';
import { createInformers } from './runtime/informer-factory.ts';
import { type RunningController, runController } from './runtime/run-controller.ts';

const service = (spec: Service['spec'], name = 'web'): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', uid: 'svc-uid' },
  spec: { selector: { app: 'web' }, ...spec },
});

function pod(
  name: string,
  o: { ip?: string; ready?: boolean; deleting?: boolean; portName?: string; node?: string } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      labels: { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      containers: [{ name: 'c', image: 'nginx', ports: [{ name: o.portName ?? 'http', containerPort: 8080 }] }],
    },
    status: {
      phase: 'Running',
      ...(o.ip ? { podIP: o.ip } : {}),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

describe('endpoint selection', () => {
  it('resolves a named targetPort from the container ports and numbers as they are', () => {
    expect(resolvePort({ port: 80, targetPort: 'http' }, pod('a'))).toBe(8080);
    expect(resolvePort({ port: 80, targetPort: 'grpc' }, pod('a'))).toBeUndefined();
    expect(resolvePort({ port: 80 }, pod('a'))).toBe(80);
  });

  it('puts ready pods in addresses, unready ones in notReadyAddresses, and drops pods without IP or terminating', () => {
    const subsets = calculateSubsets(service({ ports: [{ name: 'web', port: 80, targetPort: 'http' }] }), [
      pod('b', { ip: '10.0.0.2', node: 'n1' }),
      pod('a', { ip: '10.0.0.1', ready: false }),
      pod('c'),
      pod('d', { ip: '10.0.0.4', deleting: true }),
    ]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'b-uid' } },
        ],
        notReadyAddresses: [
          { ip: '10.0.0.1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'a-uid' } },
        ],
        ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('groups pods by the ports they resolve to, and lists headless pods without ports', () => {
    const byPorts = calculateSubsets(service({ ports: [{ port: 80, targetPort: 'http' }] }), [
      pod('a', { ip: '10.0.0.1' }),
      pod('b', { ip: '10.0.0.2', portName: 'other' }),
    ]);
    expect(byPorts).toHaveLength(1);
    expect(byPorts[0]?.addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
    const headless = calculateSubsets(service({ clusterIP: 'None' }), [pod('a', { ip: '10.0.0.1' })]);
    expect(headless).toEqual([{ addresses: [expect.objectContaining({ ip: '10.0.0.1' })] }]);
  });

  it('slices carry terminating pods with ready false and serving as their readiness says', () => {
    const [slice] = desiredSlices(
      service({ ports: [{ port: 80, targetPort: 'http' }] }),
      [pod('a', { ip: '10.0.0.1', deleting: true, node: 'n1' })],
      () => 'zone-a',
    );
    expect(slice).toEqual({
      ports: [{ name: '', port: 8080, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: ['10.0.0.1'],
          conditions: { ready: false, serving: true, terminating: true },
          nodeName: 'n1',
          zone: 'zone-a',
          targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'a-uid' },
        },
      ],
    });
  });

  it('cuts slices at the per-slice limit', () => {
    const many = Array.from({ length: 5 }, (_, i) => pod(`p${i}`, { ip: `10.0.0.${i + 1}` }));
    expect(
      desiredSlices(service({ ports: [{ port: 80 }] }), many, () => undefined, 2).map((s) => s.endpoints.length),
    ).toEqual([2, 2, 1]);
  });
});

describe('endpoints and endpointslice controllers on a registry', () => {
  let dataDir: string;
  let store: Store;
  let client: KubeClient;
  let running: RunningController[];
  const stop = new AbortController();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wharf-endpoints-'));
    store = await createEmbeddedStore({ dataDir });
    client = createLocalClient(await createRegistry({ store }), {
      username: 'system:admin',
      groups: ['system:masters'],
    });
    const informers = createInformers(client, { freeze: true });
    const controllers = [endpointsController({ client, informers }), endpointSliceController({ client, informers })];
    informers.start(stop.signal);
    await informers.waitForSync();
    running = controllers.map((c) => runController(c));
  });
  afterAll(async () => {
    stop.abort();
    await Promise.all(running.map((r) => r.stop()));
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('follows pods as they get IPs and become ready', async () => {
    await client.resource(services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    const created = await client.resource(pods).create({
      ...pod('web-1'),
      metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
      status: {},
    });
    await eventually(async () => {
      const slices = await client
        .resource(endpointSlices)
        .list({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' });
      expect(slices.items).toHaveLength(1);
      expect((slices.items[0] as EndpointSlice).metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe(
        'endpointslice-controller.k8s.io',
      );
    });
    await client.resource(pods).updateStatus({ ...created, status: pod('x', { ip: '10.244.0.5' }).status });
    await eventually(async () => {
      const e = (await client.resource(endpoints).get('web', 'default')) as Endpoints;
      expect(e.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.244.0.5']);
      expect(e.subsets?.[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
      expect(e.metadata.annotations?.[lastChangeTriggerTime]).toBeDefined();
      const list = await client
        .resource(endpointSlices)
        .list({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' });
      const [slice] = list.items as EndpointSlice[];
      expect(slice?.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(slice?.addressType).toBe('IPv4');
      expect(slice?.endpoints?.[0]?.conditions).toEqual({ ready: true, serving: true, terminating: false });
      expect(slice?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
    });
    await client.resource(services).delete('web', 'default');
    await eventually(async () => {
      await expect(client.resource(endpoints).get('web', 'default')).rejects.toMatchObject({ code: 404 });
    });
  });
});
