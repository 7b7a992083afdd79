import { describe, expect, it } from 'vitest';
import { json, testApp } from './testing/test-app.ts';

const cm = (name: string, data: Record<string, string> = { a: '1' }) => ({ metadata: { name }, data });

describe('resource verbs', () => {
  it('creates with 201, reads back, lists and deletes', async () => {
    const t = testApp();
    const created = await t.request('POST', '/api/v1/namespaces/default/configmaps', json(cm('one')));
    expect(created.status).toBe(201);
    const body = await created.text().then(JSON.parse);
    expect(body).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'one', namespace: 'default' },
    });

    const got = await t.request('GET', '/api/v1/namespaces/default/configmaps/one');
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect((await got.text().then(JSON.parse)).data).toEqual({ a: '1' });

    const list = await (await t.request('GET', '/api/v1/namespaces/default/configmaps')).text().then(JSON.parse);
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items).toHaveLength(1);

    const deleted = await t.request('DELETE', '/api/v1/namespaces/default/configmaps/one');
    expect(deleted.status).toBe(200);
    expect(await deleted.text().then(JSON.parse)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'one', kind: 'configmaps', uid: 'uid-1' },
    });
    const gone = await t.request('GET', '/api/v1/namespaces/default/configmaps/one');
    expect(gone.status).toBe(404);
    expect((await gone.text().then(JSON.parse)).message).toBe('configmaps "one" not found');
  });

  it('answers the deleted object for kinds whose strategy says so (pods)', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/default/pods', json({ metadata: { name: 'p' } }));
    const res = await t.request(
      'DELETE',
      '/api/v1/namespaces/default/pods/p',
      json({ propagationPolicy: 'Background' }),
    );
    expect((await res.text().then(JSON.parse)).kind).toBe('Pod');
    expect(t.registry.calls.at(-1)?.options).toEqual({ propagationPolicy: 'Background' });
  });

  it('answers 409 AlreadyExists as the registry raised it', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/default/configmaps', json(cm('x')));
    const res = await t.request('POST', '/api/v1/namespaces/default/configmaps', json(cm('x')));
    expect(res.status).toBe(409);
    expect((await res.text().then(JSON.parse)).reason).toBe('AlreadyExists');
  });

  it('writes warnings as 299 headers with quotes escaped', async () => {
    const t = testApp();
    const res = await t.request('POST', '/api/v1/namespaces/default/configmaps', json(cm('w')));
    expect(res.headers.get('warning')).toBe('299 - "fake \\"warning\\" here"');
  });

  it('passes dryRun, fieldManager and fieldValidation to the registry', async () => {
    const t = testApp();
    await t.request(
      'POST',
      '/api/v1/namespaces/default/configmaps?dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict',
      json(cm('d')),
    );
    expect(t.registry.calls.at(-1)?.context).toMatchObject({
      dryRun: true,
      fieldManager: 'kubectl-create',
      fieldValidation: 'Strict',
    });
  });

  it('derives the field manager from the User-Agent when absent', async () => {
    const t = testApp();
    const r = json(cm('ua'));
    await t.request('POST', '/api/v1/namespaces/default/configmaps', {
      ...r,
      headers: { ...r.headers, 'User-Agent': 'kubectl/v1.35.0 (linux/amd64)' },
    });
    expect(t.registry.calls.at(-1)?.context.fieldManager).toBe('kubectl');
  });

  it('rejects dryRun values other than All with 400', async () => {
    const t = testApp();
    const res = await t.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=Yes', json(cm('d')));
    expect(res.status).toBe(400);
    expect((await res.text().then(JSON.parse)).reason).toBe('BadRequest');
  });

  it('lists across all namespaces but refuses other verbs there', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/a/pods', json({ metadata: { name: 'p1' } }));
    await t.request('POST', '/api/v1/namespaces/b/pods', json({ metadata: { name: 'p2' } }));
    const list = await (await t.request('GET', '/api/v1/pods')).text().then(JSON.parse);
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort()).toEqual(['p1', 'p2']);
    expect((await t.request('POST', '/api/v1/pods', json({ metadata: { name: 'x' } }))).status).toBe(405);
    expect((await t.request('GET', '/api/v1/pods/p1')).status).toBe(404);
  });

  it('serves the namespace object at /api/v1/namespaces/<name>', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces', json({ metadata: { name: 'team' } }));
    const res = await t.request('GET', '/api/v1/namespaces/team');
    expect((await res.text().then(JSON.parse)).kind).toBe('Namespace');
  });

  it('updates with PUT and patches by content type', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/default/configmaps', json(cm('u')));
    const put = await t.request('PUT', '/api/v1/namespaces/default/configmaps/u', json(cm('u', { b: '2' })));
    expect(put.status).toBe(200);
    const patched = await t.request('PATCH', '/api/v1/namespaces/default/configmaps/u', {
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: '{"data":{"c":"3"}}',
    });
    expect(patched.status).toBe(200);
    expect(t.registry.calls.at(-1)?.verb).toBe('patch:strategic');
    const applied = await t.request(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/u?fieldManager=kubectl&force=true',
      {
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
        body: 'data:\n  d: "4"\n',
      },
    );
    expect(applied.status).toBe(200);
    expect(t.registry.calls.at(-1)).toMatchObject({ verb: 'patch:apply', options: { force: true } });
  });

  it('requires fieldManager for apply and forbids force on other patches (422 on PatchOptions)', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/default/configmaps', json(cm('a')));
    const apply = await t.request('PATCH', '/api/v1/namespaces/default/configmaps/a', {
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: '{}',
    });
    expect(apply.status).toBe(422);
    expect((await apply.text().then(JSON.parse)).message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    const merge = await t.request('PATCH', '/api/v1/namespaces/default/configmaps/a?force=true', {
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{}',
    });
    expect(merge.status).toBe(422);
  });

  it('posts to subresources with the registry-given code', async () => {
    const t = testApp();
    await t.request('POST', '/api/v1/namespaces/default/pods', json({ metadata: { name: 'e' } }));
    const res = await t.request(
      'POST',
      '/api/v1/namespaces/default/pods/e/eviction',
      json({ kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'e' } }),
    );
    expect(res.status).toBe(201);
    expect(t.registry.calls.at(-1)?.verb).toBe('create:eviction');
  });
});

describe('paths and methods', () => {
  it('answers unknown resources with a NotFound Status and other paths with plain text', async () => {
    const t = testApp();
    const res = await t.request('GET', '/api/v1/namespaces/default/widgets');
    expect(res.status).toBe(404);
    expect(await res.text().then(JSON.parse)).toMatchObject({
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    const other = await t.request('GET', '/nowhere');
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('404 page not found\n');
  });

  it('answers 405 for verbs a resource lacks and methods a path does not take', async () => {
    const t = testApp();
    expect((await t.request('DELETE', '/apis/coordination.k8s.io/v1/namespaces/default/leases/l')).status).toBe(405);
    expect((await t.request('POST', '/api/v1/namespaces/default/configmaps/x')).status).toBe(405);
    expect((await t.request('PUT', '/api/v1/namespaces/default/configmaps')).status).toBe(405);
    const res = await t.request('OPTIONS', '/api/v1/namespaces/default/configmaps');
    expect(await res.text().then(JSON.parse)).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
  });

  it('404s an unknown subresource and 405s a verb the subresource lacks', async () => {
    const t = testApp();
    expect((await t.request('GET', '/api/v1/namespaces/default/pods/p/bogus')).status).toBe(404);
    expect((await t.request('GET', '/api/v1/namespaces/default/pods/p/eviction')).status).toBe(405);
  });

  it('404s a cluster-scoped kind under a namespace', async () => {
    const t = testApp();
    expect((await t.request('GET', '/api/v1/namespaces/default/namespaces')).status).toBe(404);
  });
});

describe('authentication', () => {
  it('serves health and version to anyone, 401 to the rest', async () => {
    const t = testApp({ authenticate: () => undefined });
    expect((await t.request('GET', '/version')).status).toBe(200);
    expect((await t.request('GET', '/healthz')).status).toBe(200);
    const res = await t.request('GET', '/api/v1/namespaces/default/pods');
    expect(res.status).toBe(401);
    expect(await res.text().then(JSON.parse)).toMatchObject({
      reason: 'Unauthorized',
      message: 'Unauthorized',
      code: 401,
    });
    expect((await t.request('GET', '/nowhere')).status).toBe(401);
  });

  it('hands the authenticator the request headers', async () => {
    let seen: string | null = null;
    const t = testApp({
      authenticate: (r) => {
        seen = r.headers.get('authorization');
        return { username: 'alice', groups: [] };
      },
    });
    const res = await t.request('GET', '/api/v1/namespaces/default/pods', { headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(200);
    expect(seen).toBe('Bearer abc');
    expect(t.registry.calls.at(-1)?.context.user.username).toBe('alice');
  });
});

describe('errors', () => {
  it('turns an unexpected exception into a 500 InternalError Status', async () => {
    const t = testApp();
    t.registry.list = async () => {
      throw new Error('boom');
    };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const res = await t.request('GET', '/api/v1/namespaces/default/pods');
      expect(res.status).toBe(500);
      expect(await res.text().then(JSON.parse)).toMatchObject({
        reason: 'InternalError',
        message: 'Internal error occurred: boom',
      });
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
    }
  });

  it('sets Retry-After from the Status details', async () => {
    const t = testApp();
    const { tooManyRequests } = await import('../status.ts');
    t.registry.createSubresource = async () => {
      throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", undefined, 5);
    };
    await t.request('POST', '/api/v1/namespaces/default/pods', json({ metadata: { name: 'p' } }));
    const res = await t.request('POST', '/api/v1/namespaces/default/pods/p/eviction', json({}));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
  });
});

describe('version and metrics', () => {
  it('serves /version as given', async () => {
    const t = testApp();
    expect((await (await t.request('GET', '/version?timeout=32s')).text().then(JSON.parse)).gitVersion).toBe(
      'v1.33.0-wharf',
    );
  });

  it('counts requests by verb, resource and code', async () => {
    const t = testApp();
    await t.request('GET', '/api/v1/namespaces/default/pods');
    await t.request('GET', '/api/v1/namespaces/default/pods/missing');
    const text = await (await t.request('GET', '/metrics')).text();
    expect(text).toContain('apiserver_request_total{code="200",resource="pods",verb="LIST"} 1');
    expect(text).toContain('apiserver_request_total{code="404",resource="pods",verb="GET"} 1');
    expect(text).toMatch(/apiserver_request_duration_seconds_count\{resource="pods",verb="LIST"\} 1/);
  });
});
