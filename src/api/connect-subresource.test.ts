import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealApp, realApp } from './testing/real-app.ts';
import { json } from './testing/test-app.ts';

let t: RealApp;
beforeAll(async () => {
  t = await realApp({});
  const created = await t.request(
    'POST',
    '/api/v1/namespaces/default/pods',
    json({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    }),
  );
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await t.close();
});

const statusOf = async (response: Response) => ({
  code: response.status,
  ...((await response.json()) as { message?: string }),
});

describe('connect subresources', () => {
  it.each([
    ['GET', 'pods/web/portforward?ports=80'],
    ['GET', 'pods/web/proxy'],
  ])('%s %s answers a BadRequest Status saying containers are simulated, never the pod', async (method, path) => {
    const status = await statusOf(await t.request(method, `/api/v1/namespaces/default/${path}`));
    expect(status).toMatchObject({ code: 400, kind: 'Status', reason: 'BadRequest' });
    expect(status.message).toMatch(/^pods\/\w+ is not available for pod default\/web: wharf simulates containers/);
  });

  it('answers 404 for the subresource of a pod that does not exist', async () => {
    const status = await statusOf(await t.request('POST', '/api/v1/namespaces/default/pods/missing/portforward'));
    expect(status).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "missing" not found' });
  });

  it('answers a service proxy the same way', async () => {
    const created = await t.request(
      'POST',
      '/api/v1/namespaces/default/services',
      json({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } }),
    );
    expect(created.status).toBe(201);
    const status = await statusOf(await t.request('GET', '/api/v1/namespaces/default/services/web/proxy'));
    expect(status).toMatchObject({ code: 400, message: expect.stringMatching(/^services\/proxy is not available/) });
  });

  it('serves exec itself: a request that is no WebSocket upgrade is told what is needed', async () => {
    const noCommand = await statusOf(await t.request('POST', '/api/v1/namespaces/default/pods/web/exec'));
    expect(noCommand).toMatchObject({ code: 400, message: 'you must specify at least 1 command' });
    const notRunning = await statusOf(await t.request('POST', '/api/v1/namespaces/default/pods/web/exec?command=ls'));
    expect(notRunning).toMatchObject({ code: 400, message: 'container not found ("c")' });
  });
});
