import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { json, testApp } from './testing/test-app.ts';

const tableAccept =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

async function withPods(o: { encoded?: boolean } = {}) {
  const t = testApp(o);
  await t.request(
    'POST',
    '/api/v1/namespaces/default/pods',
    json({ metadata: { name: 'web-1', labels: { app: 'web' } }, spec: { nodeName: 'n1' } }),
  );
  await t.request('POST', '/api/v1/namespaces/default/pods', json({ metadata: { name: 'web-2' }, spec: {} }));
  return t;
}

describe('Table responses', () => {
  it('prints a list with the kind printer and PartialObjectMetadata rows', async () => {
    const t = await withPods();
    const table = await (
      await t.request('GET', '/api/v1/namespaces/default/pods?limit=500', { headers: { Accept: tableAccept } })
    )
      .text()
      .then(JSON.parse);
    expect(table).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: expect.any(String) },
    });
    expect(Object.keys(table)).toEqual(['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Node']);
    expect(table.rows[0].cells).toEqual(['web-1', 'n1']);
    expect(table.rows[1].cells).toEqual(['web-2', '<none>']);
    expect(table.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
    });
  });

  it('honours includeObject=None and includeObject=Object', async () => {
    const t = await withPods();
    const none = await (
      await t.request('GET', '/api/v1/namespaces/default/pods?includeObject=None', { headers: { Accept: tableAccept } })
    )
      .text()
      .then(JSON.parse);
    expect(none.rows[0].object).toBeUndefined();
    const full = await (
      await t.request('GET', '/api/v1/namespaces/default/pods?includeObject=Object', {
        headers: { Accept: tableAccept },
      })
    )
      .text()
      .then(JSON.parse);
    expect(full.rows[0].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', spec: { nodeName: 'n1' } });
    expect(
      (
        await t.request('GET', '/api/v1/namespaces/default/pods?includeObject=All', {
          headers: { Accept: tableAccept },
        })
      ).status,
    ).toBe(400);
  });

  it('prints one object and falls back to Name and Created At without a printer', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/default/configmaps', json({ metadata: { name: 'c' } }));
    const table = await (
      await t.request('GET', '/api/v1/namespaces/default/configmaps/c', { headers: { Accept: tableAccept } })
    )
      .text()
      .then(JSON.parse);
    expect(table.columnDefinitions.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(table.rows).toEqual([
      { cells: ['c', '2026-01-01T00:00:00Z'], object: expect.objectContaining({ kind: 'PartialObjectMetadata' }) },
    ]);
  });

  it('answers v1beta1 when that is the only Table version asked for', async () => {
    const t = await withPods();
    const res = await t.request('GET', '/api/v1/namespaces/default/pods', {
      headers: { Accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' },
    });
    expect((await res.text().then(JSON.parse)).apiVersion).toBe('meta.k8s.io/v1beta1');
  });
});

describe('content negotiation', () => {
  it('answers JSON to protobuf-first clients and YAML when asked', async () => {
    const t = await withPods();
    const proto = await t.request('GET', '/api/v1/namespaces/default/pods/web-1', {
      headers: { Accept: 'application/vnd.kubernetes.protobuf,application/json' },
    });
    expect(proto.headers.get('content-type')).toBe('application/json');
    const yaml = await t.request('GET', '/api/v1/namespaces/default/pods/web-1', {
      headers: { Accept: 'application/yaml' },
    });
    expect(yaml.headers.get('content-type')).toBe('application/yaml');
    expect(await yaml.text()).toContain('name: web-1');
  });

  it('answers 406 when nothing acceptable is listed', async () => {
    const t = await withPods();
    const res = await t.request('GET', '/api/v1/namespaces/default/pods', {
      headers: { Accept: 'application/vnd.kubernetes.protobuf' },
    });
    expect(res.status).toBe(406);
    expect((await res.text().then(JSON.parse)).reason).toBe('NotAcceptable');
  });

  it('gzips large bodies only when the client accepts gzip', async () => {
    const t = testApp();
    const data = { big: 'x'.repeat(200 * 1024) };
    await t.request('POST', '/api/v1/namespaces/default/configmaps', json({ metadata: { name: 'big' }, data }));
    const zipped = await t.request('GET', '/api/v1/namespaces/default/configmaps/big', {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString());
    expect(body.data).toEqual(data);
    const plain = await t.request('GET', '/api/v1/namespaces/default/configmaps/big');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const small = await t.request('GET', '/api/v1/namespaces/default/pods', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
  });

  it('splices the encoded fast path into the same list and object JSON', async () => {
    const slow = await withPods();
    const fast = await withPods({ encoded: true });
    for (const path of ['/api/v1/namespaces/default/pods', '/api/v1/namespaces/default/pods/web-1']) {
      const a = await (await slow.request('GET', path)).text().then(JSON.parse);
      const b = await (await fast.request('GET', path)).text().then(JSON.parse);
      expect(b).toEqual(a);
    }
    expect(fast.registry.calls.map((c) => c.verb)).toEqual(['create', 'create', 'listEncoded', 'getEncoded']);
  });
});

describe('list options', () => {
  it('passes selectors, limit and continue to the registry', async () => {
    const t = testApp();
    await t.request(
      'GET',
      '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1&limit=2&continue=abc',
    );
    expect(t.registry.calls.at(-1)?.options).toEqual({
      labelSelector: 'app=web',
      fieldSelector: 'spec.nodeName=n1',
      limit: 2,
      continue: 'abc',
    });
  });

  it('answers 422 for resourceVersionMatch without resourceVersion', async () => {
    const t = testApp();
    const res = await t.request('GET', '/api/v1/namespaces/default/pods?resourceVersionMatch=NotOlderThan');
    expect(res.status).toBe(422);
    expect((await res.text().then(JSON.parse)).message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });

  it('answers 400 for a limit that is not an integer', async () => {
    const t = testApp();
    expect((await t.request('GET', '/api/v1/namespaces/default/pods?limit=ten')).status).toBe(400);
  });
});
