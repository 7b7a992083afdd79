/**
 * One suite for every KubeClient implementation (local and HTTP), so they cannot drift: the same
 * Status errors, resourceVersion and watch semantics. Uses only the client; each test gets a fresh
 * namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStatusError, type StatusError } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { configMaps, deployments, namespaces, pods } from './resources.ts';
import type { ClientWatchEvent, KubeClient } from './types.ts';

export interface ClientUnderTest {
  client: KubeClient;
  close(): Promise<void>;
  /** Compacts history up to `revision` (suites that own their store pass this; others get no 410 test). */
  compact?(revision: number): Promise<void>;
}

async function failure(promise: Promise<unknown>): Promise<StatusError> {
  try {
    await promise;
  } catch (err) {
    if (isStatusError(err)) return err;
    throw err;
  }
  throw new Error('expected a StatusError, the call succeeded');
}

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
) {
  const metadata: KubeObject['metadata'] = { name, namespace };
  if (labels) metadata.labels = labels;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

function pod(namespace: string, name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
  };
}

/** Collects `count` events from a watch, then aborts it. */
async function take(events: AsyncIterable<ClientWatchEvent>, count: number, stop: AbortController) {
  const seen: ClientWatchEvent[] = [];
  for await (const e of events) {
    seen.push(e);
    if (seen.length === count) break;
  }
  stop.abort();
  return seen;
}

export function defineClientContract(
  name: string,
  connect: () => Promise<ClientUnderTest>,
  o: { canCompact?: boolean } = {},
): void {
  describe(`KubeClient contract: ${name}`, () => {
    let under: ClientUnderTest;
    let counter = 0;
    let client: KubeClient;
    beforeAll(async () => {
      under = await connect();
      client = under.client;
    });
    afterAll(async () => {
      await under?.close();
    });
    async function freshNamespace(): Promise<string> {
      const ns = `contract-${++counter}`;
      await client.resource(namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      return ns;
    }

    it('creates an object the server fills in, and gets it back', async () => {
      const ns = await freshNamespace();
      const created = await client.resource(configMaps).create(configMap(ns, 'a', { k: 'v' }));
      expect(created.metadata.uid).toBeTruthy();
      expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(created.metadata.creationTimestamp).toBeTruthy();
      const got = await client.resource(configMaps).get('a', ns);
      expect(got.data).toEqual({ k: 'v' });
      expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    });

    it('returns copies the caller may mutate', async () => {
      const ns = await freshNamespace();
      const input = configMap(ns, 'a', { k: 'v' });
      const created = await client.resource(configMaps).create(input);
      (created.data as Record<string, string>).k = 'changed';
      input.data.k = 'changed';
      expect((await client.resource(configMaps).get('a', ns)).data).toEqual({ k: 'v' });
    });

    it('answers 404 NotFound for a missing object', async () => {
      const ns = await freshNamespace();
      const err = await failure(client.resource(configMaps).get('nope', ns));
      expect(err.code).toBe(404);
      expect(err.reason).toBe('NotFound');
      expect(err.message).toBe('configmaps "nope" not found');
      expect(err.status.details).toMatchObject({ name: 'nope', kind: 'configmaps' });
    });

    it('answers 409 AlreadyExists for a second create', async () => {
      const ns = await freshNamespace();
      await client.resource(configMaps).create(configMap(ns, 'a'));
      const err = await failure(client.resource(configMaps).create(configMap(ns, 'a')));
      expect(err.code).toBe(409);
      expect(err.reason).toBe('AlreadyExists');
      expect(err.message).toBe('configmaps "a" already exists');
    });

    it('updates with a newer resourceVersion and answers 409 Conflict for a stale one', async () => {
      const ns = await freshNamespace();
      const created = await client.resource(configMaps).create(configMap(ns, 'a', { k: '1' }));
      const updated = await client.resource(configMaps).update({ ...created, data: { k: '2' } });
      expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
      const err = await failure(client.resource(configMaps).update({ ...created, data: { k: '3' } }));
      expect(err.code).toBe(409);
      expect(err.reason).toBe('Conflict');
      expect(err.message).toBe(
        'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
      );
    });

    it('patches with a merge patch', async () => {
      const ns = await freshNamespace();
      await client.resource(configMaps).create(configMap(ns, 'a', { k: '1', gone: 'x' }));
      const patched = await client.resource(configMaps).patch('a', ns, 'merge', { data: { k: '2', gone: null } });
      expect(patched.data).toEqual({ k: '2' });
    });

    it('lists at a resourceVersion no older than the objects, filtered by label selector', async () => {
      const ns = await freshNamespace();
      const a = await client.resource(configMaps).create(configMap(ns, 'a', {}, { app: 'x' }));
      await client.resource(configMaps).create(configMap(ns, 'b', {}, { app: 'y' }));
      const list = await client.resource(configMaps).list({ namespace: ns, labelSelector: 'app=x' });
      expect(list.items.map((i) => i.metadata.name)).toEqual(['a']);
      expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(a.metadata.resourceVersion));
    });

    it('pages a list with limit and continue', async () => {
      const ns = await freshNamespace();
      for (const n of ['a', 'b', 'c']) await client.resource(configMaps).create(configMap(ns, n));
      const first = await client.resource(configMaps).list({ namespace: ns, limit: 2 });
      expect(first.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
      expect(first.metadata.continue).toBeTruthy();
      const second = await client
        .resource(configMaps)
        .list({ namespace: ns, limit: 2, continue: first.metadata.continue });
      expect(second.items.map((i) => i.metadata.name)).toEqual(['c']);
      expect(second.metadata.continue ?? '').toBe('');
    });

    it('deletes an object; deleting it again answers 404', async () => {
      const ns = await freshNamespace();
      await client.resource(configMaps).create(configMap(ns, 'a'));
      await client.resource(configMaps).delete('a', ns);
      expect((await failure(client.resource(configMaps).get('a', ns))).code).toBe(404);
      expect((await failure(client.resource(configMaps).delete('a', ns))).reason).toBe('NotFound');
    });

    it('deletes a collection by label selector', async () => {
      const ns = await freshNamespace();
      await client.resource(configMaps).create(configMap(ns, 'a', {}, { drop: 'yes' }));
      await client.resource(configMaps).create(configMap(ns, 'b'));
      await client.resource(configMaps).deleteCollection({ namespace: ns, labelSelector: 'drop=yes' });
      const left = await client.resource(configMaps).list({ namespace: ns });
      expect(left.items.map((i) => i.metadata.name)).toEqual(['b']);
    });

    it('watches every change after a resourceVersion, in order', async () => {
      const ns = await freshNamespace();
      const list = await client.resource(configMaps).list({ namespace: ns });
      const stop = new AbortController();
      const events = client.resource(configMaps).watch({
        namespace: ns,
        resourceVersion: list.metadata.resourceVersion,
        signal: stop.signal,
      });
      const seen = take(events, 3, stop);
      const created = await client.resource(configMaps).create(configMap(ns, 'a', { k: '1' }));
      await client.resource(configMaps).update({ ...created, data: { k: '2' } });
      await client.resource(configMaps).delete('a', ns);
      const got = await seen;
      expect(got.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      expect(got[1]?.object.data).toEqual({ k: '2' });
      const versions = got.map((e) => Number(e.object.metadata.resourceVersion));
      expect([...versions].sort((x, y) => x - y)).toEqual(versions);
      expect(new Set(versions).size).toBe(3);
    });

    it('starts a watch without resourceVersion with ADDED for existing objects', async () => {
      const ns = await freshNamespace();
      await client.resource(configMaps).create(configMap(ns, 'old'));
      const stop = new AbortController();
      const got = await take(client.resource(configMaps).watch({ namespace: ns, signal: stop.signal }), 1, stop);
      expect(got[0]?.type).toBe('ADDED');
      expect(got[0]?.object.metadata.name).toBe('old');
    });

    it('ends a watch quietly when its signal aborts', async () => {
      const ns = await freshNamespace();
      const stop = new AbortController();
      const list = await client.resource(configMaps).list({ namespace: ns });
      const events = client.resource(configMaps).watch({
        namespace: ns,
        resourceVersion: list.metadata.resourceVersion,
        signal: stop.signal,
      });
      const done = (async () => {
        const seen: string[] = [];
        for await (const e of events) seen.push(e.type);
        return seen;
      })();
      await client.resource(configMaps).create(configMap(ns, 'a'));
      // The ADDED may or may not arrive before the abort; either way the loop must end without error.
      setImmediate(() => stop.abort());
      const seen = await done;
      expect(seen.every((t) => t === 'ADDED')).toBe(true);
    });

    it('updates status through /status, keeping spec from the stored object', async () => {
      const ns = await freshNamespace();
      const created = await client.resource(pods).create(pod(ns, 'p'));
      const updated = await client.resource(pods).updateStatus({
        ...created,
        spec: { ...(created.spec as object), activeDeadlineSeconds: 5 },
        status: { phase: 'Running' },
      });
      expect((updated.status as { phase?: string }).phase).toBe('Running');
      expect((updated.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds).toBeUndefined();
    });

    it('binds a pod through the binding subresource', async () => {
      const ns = await freshNamespace();
      await client.resource(pods).create(pod(ns, 'p'));
      await client.resource(pods).createSubresource('p', ns, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p', namespace: ns },
        target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
      });
      const bound = await client.resource(pods).get('p', ns);
      expect((bound.spec as { nodeName?: string }).nodeName).toBe('node-1');
    });

    it('reads and writes replicas through the scale subresource', async () => {
      const ns = await freshNamespace();
      const labels = { app: 'web' };
      await client.resource(deployments).create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'nginx' }] } },
        },
      });
      const scale = await client.resource(deployments).getSubresource('web', ns, 'scale');
      expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 2 } });
      await client.resource(deployments).updateSubresource({ ...scale, spec: { replicas: 3 } }, 'scale');
      const scaled = await client.resource(deployments).get('web', ns);
      expect((scaled.spec as { replicas?: number }).replicas).toBe(3);
    });

    it('lists metrics.k8s.io PodMetrics of running pods by label selector', async () => {
      const ns = await freshNamespace();
      const podMetrics = {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        kind: 'PodMetrics',
        plural: 'pods',
        namespaced: true,
      };
      for (const name of ['a', 'b']) {
        const created = await client
          .resource(pods)
          .create({ ...pod(ns, name), metadata: { name, namespace: ns, labels: { app: name } } });
        await client.resource(pods).updateStatus({
          ...created,
          status: { phase: 'Running', containerStatuses: [{ name: 'main', ready: true, state: { running: {} } }] },
        });
      }
      const listed = await client.resource(podMetrics).list({ namespace: ns, labelSelector: 'app=a' });
      expect(listed.items.map((m) => m.metadata.name)).toEqual(['a']);
      expect(listed.items[0]).toMatchObject({ kind: 'PodMetrics', containers: [{ name: 'main' }] });
      expect((await failure(client.resource(podMetrics).delete('a', ns))).code).toBe(405);
    });

    it('terminates a namespace on delete and removes it once finalize drops the kubernetes finalizer', async () => {
      const ns = await freshNamespace();
      await client.resource(namespaces).delete(ns);
      const terminating = await client.resource(namespaces).get(ns);
      expect(terminating.metadata.deletionTimestamp).toBeTruthy();
      expect((terminating.status as { phase?: string }).phase).toBe('Terminating');
      expect((terminating.spec as { finalizers?: string[] }).finalizers).toEqual(['kubernetes']);
      await client.resource(namespaces).updateSubresource({ ...terminating, spec: { finalizers: [] } }, 'finalize');
      expect((await failure(client.resource(namespaces).get(ns))).code).toBe(404);
    });

    it('ends a watch cleanly when the server-side timeoutSeconds passes', async () => {
      const ns = await freshNamespace();
      const list = await client.resource(configMaps).list({ namespace: ns });
      const stop = new AbortController();
      const types: string[] = [];
      for await (const e of client.resource(configMaps).watch({
        namespace: ns,
        resourceVersion: list.metadata.resourceVersion,
        timeoutSeconds: 1,
        signal: stop.signal,
      }))
        types.push(e.type);
      expect(stop.signal.aborted).toBe(false);
      expect(types.every((t) => t === 'BOOKMARK')).toBe(true);
    });

    it('sends bookmarks carrying a resourceVersion when asked to', async () => {
      const ns = await freshNamespace();
      const list = await client.resource(configMaps).list({ namespace: ns });
      const stop = new AbortController();
      let bookmark: ClientWatchEvent | undefined;
      for await (const e of client.resource(configMaps).watch({
        namespace: ns,
        resourceVersion: list.metadata.resourceVersion,
        allowWatchBookmarks: true,
        signal: stop.signal,
      })) {
        if (e.type !== 'BOOKMARK') continue;
        bookmark = e;
        break;
      }
      stop.abort();
      expect(bookmark?.object.kind).toBe('ConfigMap');
      expect(Number(bookmark?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
        Number(list.metadata.resourceVersion),
      );
    });

    if (o.canCompact) {
      it('fails a watch from a compacted resourceVersion with 410 Expired', async () => {
        const ns = await freshNamespace();
        const created = await client.resource(configMaps).create(configMap(ns, 'a', { k: '0' }));
        let latest = created;
        for (const k of ['1', '2', '3']) latest = await client.resource(configMaps).update({ ...latest, data: { k } });
        await under.compact?.(Number(latest.metadata.resourceVersion));
        const stop = new AbortController();
        const watching = (async () => {
          for await (const _ of client.resource(configMaps).watch({
            namespace: ns,
            resourceVersion: created.metadata.resourceVersion,
            signal: stop.signal,
          })) {
            // Any event before the error would be a change the client was never told it missed.
            throw new Error('expected no events from a compacted resourceVersion');
          }
        })();
        const err = await failure(watching);
        stop.abort();
        expect(err.code).toBe(410);
        expect(err.reason).toBe('Expired');
      });
    }

    it('answers 404 for a resource the server does not serve', async () => {
      const err = await failure(
        client
          .resource({ group: 'example.com', version: 'v1', plural: 'widgets', kind: 'Widget', namespaced: true })
          .list({ namespace: 'default' }),
      );
      expect(err.code).toBe(404);
      expect(err.reason).toBe('NotFound');
    });

    it('lists served resources with scope and verbs, one version per resource', async () => {
      const { resources } = await client.serverResources();
      const cm = resources.find((r) => r.group === '' && r.plural === 'configmaps');
      expect(cm).toMatchObject({ version: 'v1', kind: 'ConfigMap', namespaced: true });
      expect(cm?.verbs).toContain('delete');
      expect(resources.find((r) => r.plural === 'namespaces')?.namespaced).toBe(false);
      const keys = resources.map((r) => `${r.plural}.${r.group}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.some((k) => k.includes('/'))).toBe(false);
    });
  });
}
