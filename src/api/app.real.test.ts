import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealApp, realApp } from './testing/real-app.ts';
import { json } from './testing/test-app.ts';

let t: RealApp;
beforeAll(async () => {
  t = await realApp();
});
afterAll(async () => {
  await t.close();
});

const tableAccept =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

describe('the HTTP layer over the real registry', () => {
  it('creates, reads, prints, lists and deletes a ConfigMap', async () => {
    const created = await t.request(
      'POST',
      '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create',
      json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'real' }, data: { a: '1' } }),
    );
    expect(created.status).toBe(201);
    const object = await created.text().then(JSON.parse);
    expect(object.metadata).toMatchObject({
      name: 'real',
      namespace: 'default',
      uid: expect.any(String),
      resourceVersion: expect.any(String),
    });

    const got = await (await t.request('GET', '/api/v1/namespaces/default/configmaps/real')).text().then(JSON.parse);
    expect(got).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { a: '1' } });

    const table = await (
      await t.request('GET', '/api/v1/namespaces/default/configmaps?limit=500', { headers: { Accept: tableAccept } })
    )
      .text()
      .then(JSON.parse);
    expect(table.kind).toBe('Table');
    expect(table.rows.map((r: { cells: unknown[] }) => r.cells[0])).toContain('real');

    const list = await (await t.request('GET', '/api/v1/namespaces/default/configmaps')).text().then(JSON.parse);
    expect(list).toMatchObject({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.any(String) },
    });

    const deleted = await t.request(
      'DELETE',
      '/api/v1/namespaces/default/configmaps/real',
      json({ propagationPolicy: 'Background' }),
    );
    expect(deleted.status).toBe(200);
    expect(await deleted.text().then(JSON.parse)).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'real', kind: 'configmaps' },
    });
    const gone = await t.request('GET', '/api/v1/namespaces/default/configmaps/real');
    expect(gone.status).toBe(404);
    expect((await gone.text().then(JSON.parse)).message).toBe('configmaps "real" not found');
  });

  it('advertises the subresources drain, scale and create token rely on', async () => {
    const core = await (await t.request('GET', '/api/v1')).text().then(JSON.parse);
    expect(core.resources).toContainEqual(
      expect.objectContaining({ name: 'pods/eviction', group: 'policy', version: 'v1', kind: 'Eviction' }),
    );
    expect(core.resources).toContainEqual(
      expect.objectContaining({
        name: 'serviceaccounts/token',
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
      }),
    );
    const apps = await (await t.request('GET', '/apis', { headers: { Accept: v2 } })).text().then(JSON.parse);
    const appsGroup = apps.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
    const deployments = appsGroup.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(deployments.subresources).toContainEqual(
      expect.objectContaining({
        subresource: 'scale',
        responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      }),
    );
  });

  it('ends the initial events of a watch-list with the annotated bookmark', async () => {
    await t.request('POST', '/api/v1/namespaces/default/configmaps', json({ metadata: { name: 'wl' } }));
    const res = await t.request(
      'GET',
      '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dwl',
    );
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('initial-events-end')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    await reader.cancel();
    const events = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'wl' } } });
    expect(events.at(-1)).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
  });

  it('reports the store in /readyz?verbose', async () => {
    const res = await t.request('GET', '/readyz?verbose');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('[+]ping ok\n[+]log ok\n[+]etcd ok\nreadyz check passed\n');
  });
});

describe('subresources and collections over the real registry', () => {
  it('reads and patches a deployment scale, and deletes a collection by label', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { tier: 'x' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    };
    expect((await t.request('POST', '/apis/apps/v1/namespaces/default/deployments', json(deployment))).status).toBe(
      201,
    );
    const scale = await (await t.request('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale'))
      .text()
      .then(JSON.parse);
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 } });
    const patched = await t.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{"spec":{"replicas":3}}',
    });
    expect(patched.status).toBe(200);
    const after = await (await t.request('GET', '/apis/apps/v1/namespaces/default/deployments/web'))
      .text()
      .then(JSON.parse);
    expect(after.spec.replicas).toBe(3);

    const removed = await t.request('DELETE', '/apis/apps/v1/namespaces/default/deployments?labelSelector=tier%3Dx');
    expect(removed.status).toBe(200);
    expect((await t.request('GET', '/apis/apps/v1/namespaces/default/deployments/web')).status).toBe(404);
  });
});
