import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testApp } from './testing/test-app.ts';

const protobufAsked = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const protobufServed = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const t = testApp();
const get = (path: string, headers: Record<string, string> = {}) => t.request('GET', path, { headers });

interface V3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}
type Json = Record<string, unknown>;

async function index(): Promise<V3Index> {
  return JSON.parse(await (await get('/openapi/v3')).text()) as V3Index;
}

describe('/openapi/v3', () => {
  it('lists every group version with a hashed URL, and serves the index with an ETag', async () => {
    const response = await get('/openapi/v3', { Accept: 'application/json, */*' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[0-9A-F]{128}"$/);
    expect(response.headers.get('cache-control')).toBeNull();
    const { paths } = JSON.parse(await response.text()) as V3Index;
    expect(Object.keys(paths)).toContain('api/v1');
    expect(Object.keys(paths)).toContain('apis/apps/v1');
    expect(paths['apis/apps/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('serves a GV document whose ETag is its hash, immutable when asked by it, 304 on If-None-Match', async () => {
    const url = (await index()).paths['apis/apps/v1']?.serverRelativeURL ?? '';
    const hash = url.slice(url.indexOf('hash=') + 5);
    const response = await get(`${url}&timeout=32s`, { Accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${hash}"`);
    expect(response.headers.get('cache-control')).toBe('public, immutable');
    expect(response.headers.get('vary')).toBe('Accept');
    const unconditional = await get('/openapi/v3/apis/apps/v1');
    expect(unconditional.headers.get('cache-control')).toBeNull();
    const again = await get('/openapi/v3/apis/apps/v1', { 'If-None-Match': `"${hash}"` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('redirects an outdated hash to the current URL', async () => {
    const url = (await index()).paths['api/v1']?.serverRelativeURL;
    const response = await get('/openapi/v3/api/v1?hash=0123');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(url);
  });

  it('gives every PATCH fieldValidation, dryRun and fieldManager and the kind, and carries the schemas it reaches', async () => {
    const doc = JSON.parse(await (await get('/openapi/v3/apis/apps/v1')).text()) as {
      paths: Record<string, Record<string, Json>>;
      components: { schemas: Record<string, Json> };
    };
    const patches = Object.values(doc.paths).flatMap((item) => (item.patch ? [item.patch] : []));
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      const names = (patch.parameters as { name: string; in: string }[]).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager', 'force']));
      expect(patch['x-kubernetes-action']).toBe('patch');
    }
    const deployment = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(deployment?.patch?.['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      kind: 'Deployment',
      version: 'v1',
    });
    expect(deployment?.patch?.operationId).toBe('patchAppsV1NamespacedDeployment');
    const schemas = doc.components.schemas;
    for (const name of [
      'io.k8s.api.apps.v1.Deployment',
      'io.k8s.api.core.v1.PodSpec',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      'io.k8s.apimachinery.pkg.api.resource.Quantity',
    ]) {
      expect(schemas[name], name).toBeDefined();
    }
    const spec = ((schemas['io.k8s.api.apps.v1.Deployment']?.properties ?? {}) as Record<string, Json>).spec;
    expect(spec?.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
    const text = JSON.stringify(doc);
    for (const ref of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(schemas[ref[1] ?? ''], ref[1]).toBeDefined();
    }
    expect(text).not.toContain('#/definitions/');
  });

  it('gzips when asked, and answers 406 or 404 for what it does not have', async () => {
    const plain = await (await get('/openapi/v3/api/v1')).text();
    const zipped = await get('/openapi/v3/api/v1', { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(new Uint8Array(await zipped.arrayBuffer())).toString()).toBe(plain);
    expect((await get('/openapi/v3/api/v1', { Accept: 'application/yaml' })).status).toBe(406);
    expect((await get('/openapi/v3/apis/nope.example.com/v1')).status).toBe(404);
  });
});

describe('/openapi/v2', () => {
  it('serves gnostic protobuf with the dotted Content-Type for either protobuf form', async () => {
    for (const accept of [protobufAsked, protobufServed, `${protobufAsked}, application/json;q=0.5`]) {
      const response = await get('/openapi/v2', { Accept: accept });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(protobufServed);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // Field 1 (swagger, length-delimited) = "2.0".
      expect([...bytes.subarray(0, 5)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30]);
    }
  });

  it('serves JSON when JSON is asked for, with the same ETag as the protobuf, and 304 on a match', async () => {
    const json = await get('/openapi/v2', { Accept: 'application/json' });
    expect(json.headers.get('content-type')).toBe('application/json');
    const doc = JSON.parse(await json.text()) as { swagger: string; paths: Record<string, Record<string, Json>> };
    expect(doc.swagger).toBe('2.0');
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']?.patch;
    expect(((patch?.parameters ?? []) as { name: string }[]).map((p) => p.name)).toContain('fieldValidation');
    const etag = json.headers.get('etag') ?? '';
    const protobuf = await get('/openapi/v2', { Accept: protobufAsked });
    expect(protobuf.headers.get('etag')).toBe(etag);
    expect((await get('/openapi/v2', { Accept: protobufAsked, 'If-None-Match': etag })).status).toBe(304);
  });

  it('answers 406 when no offered type is acceptable', async () => {
    const response = await get('/openapi/v2', { Accept: 'text/html' });
    expect(response.status).toBe(406);
    expect(JSON.parse(await response.text())).toMatchObject({ kind: 'Status', reason: 'NotAcceptable', code: 406 });
  });
});
