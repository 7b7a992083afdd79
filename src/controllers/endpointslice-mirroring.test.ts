import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { endpointSlices, endpoints, services } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import type { Endpoints } from './endpoints.ts';
import type { EndpointSlice } from './endpointslice.ts';
import { endpointSliceMirroringController, mirroredSlices } from './endpointslice-mirroring.ts';
import { eventually } from './runtime/eventually.ts';
import { createInformers } from './runtime/informer-factory.ts';
import { type RunningController, runController } from './runtime/run-controller.ts';

const custom = (subsets: Endpoints['subsets'], labels?: Record<string, string>): Endpoints => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'db', namespace: 'default', ...(labels ? { labels } : {}) },
  subsets,
});

describe('mirroredSlices', () => {
  it('keeps ready and not-ready addresses apart by condition and splits address families', () => {
    const slices = mirroredSlices(
      custom([
        {
          ports: [{ port: 5432 }],
          addresses: [{ ip: '10.1.2.3', nodeName: 'n1' }, { ip: 'fd00::1' }],
          notReadyAddresses: [{ ip: '10.1.2.4' }],
        },
      ]),
    );
    expect(slices).toEqual([
      {
        addressType: 'IPv4',
        ports: [{ name: '', port: 5432, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['10.1.2.3'], conditions: { ready: true }, nodeName: 'n1' },
          { addresses: ['10.1.2.4'], conditions: { ready: false } },
        ],
      },
      {
        addressType: 'IPv6',
        ports: [{ name: '', port: 5432, protocol: 'TCP' }],
        endpoints: [{ addresses: ['fd00::1'], conditions: { ready: true } }],
      },
    ]);
  });

  it('puts subsets with the same ports into one slice and different ports into another', () => {
    const slices = mirroredSlices(
      custom([
        { ports: [{ name: 'a', port: 80 }], addresses: [{ ip: '10.0.0.1' }] },
        { ports: [{ name: 'a', port: 80 }], addresses: [{ ip: '10.0.0.2' }] },
        { ports: [{ name: 'b', port: 81 }], addresses: [{ ip: '10.0.0.3' }] },
      ]),
    );
    expect(slices.map((s) => s.endpoints.map((e) => e.addresses[0]))).toEqual([['10.0.0.1', '10.0.0.2'], ['10.0.0.3']]);
  });
});

describe('endpointslice mirroring controller on a registry', () => {
  let dataDir: string;
  let store: Store;
  let client: KubeClient;
  let running: RunningController;
  const stop = new AbortController();
  const mirrored = async (service: string) =>
    (
      await client
        .resource(endpointSlices)
        .list({ namespace: 'default', labelSelector: `kubernetes.io/service-name=${service}` })
    ).items as EndpointSlice[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wharf-mirroring-'));
    store = await createEmbeddedStore({ dataDir });
    client = createLocalClient(await createRegistry({ store }), {
      username: 'system:admin',
      groups: ['system:masters'],
    });
    const informers = createInformers(client, { freeze: true });
    const controller = endpointSliceMirroringController({ client, informers });
    informers.start(stop.signal);
    await informers.waitForSync();
    running = runController(controller);
  });
  afterAll(async () => {
    stop.abort();
    await running.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('mirrors a hand-written Endpoints of a selector-less service through create, update and delete', async () => {
    await client.resource(services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: 'default' },
      spec: { ports: [{ name: 'pg', port: 5432 }] },
    });
    await client.resource(endpoints).create(custom([{ ports: [{ port: 5432 }], addresses: [{ ip: '10.1.2.3' }] }]));
    await eventually(async () => {
      const [slice, ...rest] = await mirrored('db');
      expect(rest).toHaveLength(0);
      expect(slice?.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe(
        'endpointslicemirroring-controller.k8s.io',
      );
      expect(slice?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Endpoints', name: 'db', controller: true });
      expect(slice?.endpoints?.map((e) => e.addresses)).toEqual([['10.1.2.3']]);
    });
    const current = (await client.resource(endpoints).get('db', 'default')) as Endpoints;
    await client
      .resource(endpoints)
      .update({ ...current, subsets: [{ ports: [{ port: 5432 }], addresses: [{ ip: '10.2.3.4' }] }] });
    await eventually(async () => {
      const slices = await mirrored('db');
      expect(slices.map((s) => s.endpoints?.map((e) => e.addresses[0]))).toEqual([['10.2.3.4']]);
    });
    await client.resource(endpoints).delete('db', 'default');
    await eventually(async () => expect(await mirrored('db')).toHaveLength(0));
  });

  it('leaves alone Endpoints labelled skip-mirror and those of services with a selector', async () => {
    await client.resource(services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'skipped', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
    await client.resource(services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'selected', namespace: 'default' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    });
    const subsets = [{ ports: [{ port: 80 }], addresses: [{ ip: '10.9.9.9' }] }];
    await client.resource(endpoints).create({
      ...custom(subsets, { 'endpointslice.kubernetes.io/skip-mirror': 'true' }),
      metadata: {
        name: 'skipped',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
    });
    await client
      .resource(endpoints)
      .create({ ...custom(subsets), metadata: { name: 'selected', namespace: 'default' } });
    // A third, mirrored Endpoints written last: once it shows, the other two have been seen too.
    await client.resource(services).create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'marker', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
    await client.resource(endpoints).create({ ...custom(subsets), metadata: { name: 'marker', namespace: 'default' } });
    await eventually(async () => expect(await mirrored('marker')).toHaveLength(1));
    expect(await mirrored('skipped')).toHaveLength(0);
    expect(await mirrored('selected')).toHaveLength(0);
  });
});
