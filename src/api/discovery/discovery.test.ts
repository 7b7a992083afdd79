import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app.ts';

const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

describe('aggregated discovery', () => {
  it('answers exactly the first supported version the client lists', async () => {
    const t = testApp();
    const modern = await t.request('GET', '/apis', { headers: { Accept: `${v2},${v2beta1},application/json` } });
    expect(modern.headers.get('content-type')).toBe(v2);
    expect(modern.headers.get('vary')).toBe('Accept');
    expect((await modern.text().then(JSON.parse)).apiVersion).toBe('apidiscovery.k8s.io/v2');
    const old = await t.request('GET', '/apis', { headers: { Accept: `${v2beta1},application/json` } });
    expect(old.headers.get('content-type')).toBe(v2beta1);
    expect((await old.text().then(JSON.parse)).apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
  });

  it('serves legacy documents to plain JSON clients', async () => {
    const t = testApp();
    const api = await (await t.request('GET', '/api', { headers: { Accept: 'application/json, */*' } }))
      .text()
      .then(JSON.parse);
    expect(api).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await (await t.request('GET', '/apis')).text().then(JSON.parse);
    expect(apis.kind).toBe('APIGroupList');
    const autoscaling = apis.groups.find((g: { name: string }) => g.name === 'autoscaling');
    expect(autoscaling.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    expect(autoscaling.versions.map((v: { version: string }) => v.version)).toEqual(['v2', 'v1']);
  });

  it('lists the core group alone at /api with resources, verbs and subresources', async () => {
    const t = testApp();
    const doc = await (await t.request('GET', '/api', { headers: { Accept: v2 } })).text().then(JSON.parse);
    expect(doc.items.map((g: { metadata: { name: string } }) => g.metadata.name)).toEqual(['']);
    const pods = doc.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
    expect(pods).toMatchObject({
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    expect(pods.subresources).toContainEqual({
      subresource: 'eviction',
      responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' },
      verbs: ['create'],
    });
  });

  it('orders group versions by preference (autoscaling v2 before v1)', async () => {
    const t = testApp();
    const doc = await (await t.request('GET', '/apis', { headers: { Accept: v2 } })).text().then(JSON.parse);
    const autoscaling = doc.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'autoscaling');
    expect(autoscaling.versions.map((v: { version: string }) => v.version)).toEqual(['v2', 'v1']);
  });

  it('revalidates with ETag and answers 406 when nothing acceptable is listed', async () => {
    const t = testApp();
    const first = await t.request('GET', '/apis', { headers: { Accept: v2 } });
    const etag = first.headers.get('etag') as string;
    const again = await t.request('GET', '/apis', { headers: { Accept: v2, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(
      (await t.request('GET', '/apis', { headers: { Accept: 'application/vnd.kubernetes.protobuf' } })).status,
    ).toBe(406);
  });

  it('rebuilds after the resource table changes', async () => {
    const t = testApp();
    await t.request('GET', '/apis', { headers: { Accept: v2 } });
    const table = t.registry.resources as unknown as { add(def: unknown): void };
    table.add({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      singular: 'widget',
      namespaced: true,
      strategy: {},
    });
    const doc = await (await t.request('GET', '/apis', { headers: { Accept: v2 } })).text().then(JSON.parse);
    expect(doc.items.map((g: { metadata: { name: string } }) => g.metadata.name)).toContain('example.com');
  });
});

describe('legacy group-version documents', () => {
  it('lists pods/eviction with policy/v1 for kubectl drain', async () => {
    const t = testApp();
    const doc = await (await t.request('GET', '/api/v1')).text().then(JSON.parse);
    expect(doc).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1' });
    expect(doc.resources).toContainEqual({
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    const pods = doc.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods.storageVersionHash).toMatch(/^[A-Za-z0-9+/]{11}=$/);
  });

  it('lists a scale subresource with autoscaling/v1 Scale', async () => {
    const t = testApp();
    const doc = await (await t.request('GET', '/apis/apps/v1')).text().then(JSON.parse);
    expect(doc.resources).toContainEqual(
      expect.objectContaining({ name: 'deployments/scale', group: 'autoscaling', version: 'v1', kind: 'Scale' }),
    );
  });

  it('serves /apis/<group> and 404s unknown groups and versions', async () => {
    const t = testApp();
    expect(await (await t.request('GET', '/apis/autoscaling')).text().then(JSON.parse)).toMatchObject({
      kind: 'APIGroup',
      name: 'autoscaling',
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    });
    expect((await t.request('GET', '/apis/nope')).status).toBe(404);
    expect((await t.request('GET', '/apis/apps/v9')).status).toBe(404);
    expect((await t.request('GET', '/api/v2')).status).toBe(404);
  });
});
