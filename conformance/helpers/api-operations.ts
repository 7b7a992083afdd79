/**
 * The shape shared by upstream's "should support X API operations" and "lifecycle" tests: discovery
 * lists the resource, then create, get, list (namespace and cluster-wide, by label), watch from the
 * list's resourceVersion, merge patch, update, optionally the status subresource, delete, and
 * deletecollection by label — each step checked as the upstream test checks it.
 */

import type { ResourceClient, ResourceRef } from '../../src/client/index.ts';
import type { KubeObject } from '../../src/types/meta.ts';
import { eventually } from '../eventually.ts';
import type { ConformanceContext } from '../suite.ts';
import assert from './assert.ts';
import { expectNotFound } from './expect-status.ts';
import { eventFor, openWatch } from './watch.ts';

export interface ApiOperationsSpec {
  ref: ResourceRef;
  /** A valid object; the helper sets name, namespace and labels. */
  make(name: string): KubeObject;
  /** How many objects to create (default 3, as most upstream tests do). */
  count?: number;
  /** Check /apis (or /api) discovery lists the resource (and `status` when `status` is set). */
  discovery?: boolean;
  watch?: boolean;
  /** A status merge patch to apply through /status, checked on a later read. */
  status?: { patch: Record<string, unknown>; check(o: KubeObject): void };
  /** Skip the PUT round trip (for kinds whose update needs more than changing an annotation). */
  skipUpdate?: boolean;
}

type Obj = KubeObject;

export async function exerciseApiOperations(ctx: ConformanceContext, spec: ApiOperationsSpec): Promise<void> {
  const { ref } = spec;
  const client = ctx.client.resource(ref) as ResourceClient<Obj>;
  const namespace = ref.namespaced ? ctx.namespace : undefined;
  const runLabel = ctx.uniqueName('run');
  const labels = { 'conformance-run': runLabel };
  const selector = `conformance-run=${runLabel}`;
  ctx.defer(() => client.deleteCollection({ namespace, labelSelector: selector }));

  if (spec.discovery) await expectDiscovered(ctx, ref, spec.status !== undefined);

  const names = Array.from({ length: spec.count ?? 3 }, (_, i) => `${ref.plural.slice(0, 20)}-${runLabel}-${i}`);
  const build = (name: string): Obj => {
    const o = spec.make(name);
    o.metadata = { ...o.metadata, name, labels: { ...o.metadata.labels, ...labels } };
    if (namespace) o.metadata.namespace = namespace;
    else delete o.metadata.namespace;
    return o;
  };
  const [first, ...rest] = names;
  assert.ok(first, 'the operation needs an object name');
  const created = await client.create(build(first));
  assert.equal(created.metadata.name, first);
  assert.ok(created.metadata.uid, 'created object has a uid');
  const fetched = await client.get(first, namespace);
  assert.equal(fetched.metadata.uid, created.metadata.uid);

  const listed = await client.list({ namespace, labelSelector: selector });
  assert.equal(listed.items.length, 1, 'list by label finds the created object');
  assert.ok(listed.metadata.resourceVersion, 'list has a resourceVersion');
  const watch = spec.watch
    ? await openWatch(
        client,
        { namespace, labelSelector: selector, resourceVersion: listed.metadata.resourceVersion },
        ctx.signal,
      )
    : undefined;
  ctx.defer(async () => watch?.close());
  for (const name of rest) await client.create(build(name));
  const second = rest[0];
  if (second) await watch?.next(eventFor('ADDED', second), `ADDED ${second}`);

  const all = await client.list({ labelSelector: selector });
  assert.equal(all.items.length, names.length, 'cluster-wide list by label finds every object');

  const patched = await client.patch(first, namespace, 'merge', { metadata: { annotations: { patched: 'true' } } });
  assert.equal(patched.metadata.annotations?.patched, 'true');
  await watch?.next(
    (e) => e.type === 'MODIFIED' && e.object.metadata.annotations?.patched === 'true',
    'MODIFIED after patch',
  );

  if (!spec.skipUpdate) {
    const updated = await retryOnConflict(async () => {
      const current = await client.get(first, namespace);
      current.metadata.annotations = { ...current.metadata.annotations, updated: 'true' };
      return client.update(current);
    });
    assert.equal(updated.metadata.annotations?.updated, 'true');
    await watch?.next(
      (e) => e.type === 'MODIFIED' && e.object.metadata.annotations?.updated === 'true',
      'MODIFIED after update',
    );
  }

  if (spec.status) {
    const status = spec.status;
    const current = await client.get(first, namespace);
    const viaStatus = await client.patch(first, namespace, 'merge', status.patch, { subresource: 'status' });
    status.check(viaStatus);
    status.check(await client.get(first, namespace));
    assert.notEqual(viaStatus.metadata.resourceVersion, current.metadata.resourceVersion);
  }

  await client.delete(first, namespace);
  await eventually(() => expectNotFound(client.get(first, namespace)), {
    what: `${first} deleted`,
    signal: ctx.signal,
  });
  await watch?.next(eventFor('DELETED', first), `DELETED ${first}`);

  await client.deleteCollection({ namespace, labelSelector: selector });
  await eventually(
    async () => {
      const left = await client.list({ namespace, labelSelector: selector });
      assert.equal(left.items.length, 0, `deletecollection left ${left.items.length}`);
    },
    { what: 'deletecollection', signal: ctx.signal },
  );
}

/** /apis/<group>/<version> (or /api/v1) lists the plural, and `<plural>/status` when asked. */
export async function expectDiscovered(ctx: ConformanceContext, ref: ResourceRef, withStatus: boolean): Promise<void> {
  if (ref.group) {
    const groups = await ctx.api.getJson<{ groups: Array<{ name: string; versions: Array<{ version: string }> }> }>(
      '/apis',
    );
    const group = groups.groups.find((g) => g.name === ref.group);
    assert.ok(group, `/apis lists ${ref.group}`);
    assert.ok(
      group.versions.some((v) => v.version === ref.version),
      `${ref.group} serves ${ref.version}`,
    );
    const doc = await ctx.api.getJson<{ groups?: unknown; versions: Array<{ version: string }> }>(`/apis/${ref.group}`);
    assert.ok(
      doc.versions.some((v) => v.version === ref.version),
      `/apis/${ref.group} lists ${ref.version}`,
    );
  }
  const path = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const list = await ctx.api.getJson<{ resources: Array<{ name: string }> }>(path);
  const names = list.resources.map((r) => r.name);
  assert.ok(names.includes(ref.plural), `${path} lists ${ref.plural}`);
  if (withStatus) assert.ok(names.includes(`${ref.plural}/status`), `${path} lists ${ref.plural}/status`);
}

/** Read-modify-write with the retry a controller would do on 409. */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (err) {
      const code = (err as { status?: { code?: number } }).status?.code;
      if (code !== 409 || i >= attempts) throw err;
    }
  }
}
