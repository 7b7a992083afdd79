import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealApp, realApp } from '../api/testing/real-app.ts';

let t: RealApp;
const now = Date.parse('2025-01-01T00:00:07Z');
const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface Named {
  metadata: { name: string };
  usage?: unknown;
  containers?: unknown;
}
/** The fields these tests read, from a Status, an object, a list or an APIResourceList. */
interface Body extends Partial<Named> {
  code?: number;
  message?: string;
  kind?: string;
  items: Named[];
  resources: { kind: string }[];
}

async function send(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const response = await t.request(
    method,
    path,
    body === undefined ? {} : { headers: { 'Content-Type': contentType }, body: JSON.stringify(body) },
  );
  return { code: response.status, body: (await response.json()) as Body };
}

beforeAll(async () => {
  t = await realApp({ now: () => now });
  const ready = { conditions: [{ type: 'Ready', status: 'True' }], capacity: { cpu: '4', memory: '16Gi' } };
  for (const [name, status] of [
    ['node-1', ready],
    ['node-2', { conditions: [{ type: 'Ready', status: 'Unknown' }] }],
  ] as const) {
    expect((await send('POST', '/api/v1/nodes', { metadata: { name, labels: { zone: 'a' } }, status })).code).toBe(201);
  }
  for (const name of ['web', 'idle']) {
    const created = await send('POST', '/api/v1/namespaces/default/pods', {
      metadata: { name, labels: { app: name } },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
      },
    });
    expect(created.code).toBe(201);
  }
  const patched = await send(
    'PATCH',
    '/api/v1/namespaces/default/pods/web/status',
    {
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'c',
            state: { running: {} },
            lastState: {},
            ready: true,
            restartCount: 0,
            image: 'nginx',
            imageID: '',
          },
        ],
      },
    },
    'application/merge-patch+json',
  );
  expect(patched.code).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe('metrics.k8s.io', () => {
  it('is discovered with nodes and pods, verbs get and list', async () => {
    const response = await t.request('GET', '/apis', { headers: { Accept: v2 } });
    const groups = ((await response.json()) as { items: unknown }).items as Array<{
      metadata: { name: string };
      versions: Array<{ version: string; resources: Array<{ resource: string; verbs: string[]; scope: string }> }>;
    }>;
    const metrics = groups.find((g) => g.metadata.name === 'metrics.k8s.io');
    expect(metrics?.versions[0]?.version).toBe('v1beta1');
    expect(metrics?.versions[0]?.resources.map((r) => [r.resource, r.scope, r.verbs])).toEqual([
      ['nodes', 'Cluster', ['get', 'list']],
      ['pods', 'Namespaced', ['get', 'list']],
    ]);
    const legacy = await send('GET', '/apis/metrics.k8s.io/v1beta1');
    expect(legacy.body.resources.map((r) => r.kind)).toEqual(['NodeMetrics', 'PodMetrics']);
  });

  it('lists NodeMetrics of Ready nodes with their labels', async () => {
    const { code, body } = await send('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(code).toBe(200);
    expect(body).toMatchObject({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {} });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      kind: 'NodeMetrics',
      metadata: { name: 'node-1', labels: { zone: 'a' }, creationTimestamp: '2025-01-01T00:00:07Z' },
      timestamp: '2025-01-01T00:00:00Z',
      window: '15s',
      usage: { cpu: expect.stringMatching(/^\d+n$/), memory: expect.stringMatching(/^\d+Ki$/) },
    });
    const got = await send('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-1');
    expect(got.body.usage).toEqual(body.items[0]?.usage);
  });

  it("answers metrics-server's 404 for a node or pod without a sample", async () => {
    expect((await send('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-2')).body).toMatchObject({
      code: 404,
      message: 'nodemetrics.metrics.k8s.io "node-2" not found',
    });
    expect((await send('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/idle')).body).toMatchObject({
      code: 404,
      message: 'podmetrics.metrics.k8s.io "idle" not found',
    });
  });

  it('lists PodMetrics of running pods, filtered by label', async () => {
    const all = await send('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    expect(all.body.kind).toBe('PodMetricsList');
    expect(all.body.items.map((p) => p.metadata.name)).toEqual(['web']);
    expect(all.body.items[0]?.containers).toEqual([
      { name: 'c', usage: { cpu: expect.stringMatching(/^\d+n$/), memory: expect.stringMatching(/^\d+Ki$/) } },
    ]);
    const across = await send('GET', '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Dnone');
    expect(across.body.items).toEqual([]);
  });

  it('is read-only', async () => {
    expect((await send('DELETE', '/apis/metrics.k8s.io/v1beta1/nodes/node-1')).code).toBe(405);
  });
});
