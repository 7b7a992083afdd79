import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogOptions, PodLogs } from '../nodes/logs.ts';
import { badRequest } from '../status.ts';
import { type RealApp, realApp } from './testing/real-app.ts';
import { json } from './testing/test-app.ts';

const calls: Array<{ namespace: string; pod: string; container: string | undefined; options: LogOptions }> = [];
const fakeLogs: PodLogs = {
  async getLogs(namespace, pod, container, options = {}) {
    calls.push({ namespace, pod, container, options });
    if (container === 'waiting')
      throw badRequest(`container "waiting" in pod "${pod}" is waiting to start: ContainerCreating`);
    return new Response(`log of ${container}\n`).body as ReadableStream<Uint8Array>;
  },
};
const podLogs: { current?: PodLogs } = {};
let t: RealApp;

const pod = (name: string, containers: string[], nodeName?: string, initContainers: string[] = []) =>
  json({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: containers.map((c) => ({ name: c, image: 'busybox' })),
      ...(initContainers.length ? { initContainers: initContainers.map((c) => ({ name: c, image: 'busybox' })) } : {}),
    },
  });

beforeAll(async () => {
  t = await realApp({ podLogs });
  for (const [name, containers, node, init] of [
    ['one', ['main'], 'node-1', []],
    ['two', ['a', 'b'], 'node-1', ['setup']],
    ['pending', ['main'], undefined, []],
  ] as const) {
    const created = await t.request(
      'POST',
      '/api/v1/namespaces/default/pods',
      pod(name, [...containers], node, [...init]),
    );
    expect(created.status).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
});

const log = (path: string) => t.request('GET', `/api/v1/namespaces/default/pods/${path}`);
const statusOf = async (response: Response) => ({
  code: response.status,
  ...((await response.json()) as { message: string; reason: string }),
});

describe('pods/log', () => {
  it('streams the only container of a pod as text/plain, passing the options on', async () => {
    podLogs.current = fakeLogs;
    const response = await log('one/log?follow=true&tailLines=5&timestamps=true&sinceSeconds=10&limitBytes=100');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('log of main\n');
    expect(calls.at(-1)).toMatchObject({
      namespace: 'default',
      pod: 'one',
      container: 'main',
      options: { follow: true, tailLines: 5, timestamps: true, sinceSeconds: 10, limitBytes: 100, previous: false },
    });
  });

  it('needs a container for a pod with several, worded as the apiserver does', async () => {
    podLogs.current = fakeLogs;
    expect(await statusOf(await log('two/log'))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        'a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [setup]',
    });
    expect(await statusOf(await log('two/log?container=nope'))).toMatchObject({
      code: 400,
      message: 'container nope is not valid for pod two',
    });
    expect(await (await log('two/log?container=setup')).text()).toBe('log of setup\n');
  });

  it('answers 404 for a missing pod and an empty log for a pod without a node', async () => {
    podLogs.current = fakeLogs;
    expect(await statusOf(await log('ghost/log'))).toMatchObject({ code: 404, message: 'pods "ghost" not found' });
    const pending = await log('pending/log');
    expect(pending.status).toBe(200);
    expect(await pending.text()).toBe('');
  });

  it('validates PodLogOptions with 422 Invalid', async () => {
    expect(await statusOf(await log('one/log?tailLines=-1'))).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'PodLogOptions "one" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
    expect((await statusOf(await log('one/log?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z'))).message).toBe(
      'PodLogOptions "one" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
    expect((await statusOf(await log('one/log?limitBytes=0'))).code).toBe(422);
    expect((await statusOf(await log('one/log?tailLines=x'))).code).toBe(400);
  });

  it('passes the kubelet errors through and says when no kubelet is reachable', async () => {
    podLogs.current = { getLogs: (ns, p) => fakeLogs.getLogs(ns, p, 'waiting') };
    expect(await statusOf(await log('one/log'))).toMatchObject({
      code: 400,
      message: 'container "waiting" in pod "one" is waiting to start: ContainerCreating',
    });
    podLogs.current = undefined;
    expect((await statusOf(await log('one/log'))).code).toBe(503);
  });
});
