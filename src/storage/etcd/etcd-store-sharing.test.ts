import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { type EtcdServer, startEtcd } from './etcd-process.ts';
import { createEtcdStore } from './etcd-store.ts';
import { bytes, collect, text } from './test-helpers.ts';

// Two Store instances on one etcd, as two wharf API servers sharing a cluster would be.
describe('two etcd stores on one etcd', () => {
  let etcd: EtcdServer;
  let first: Store;
  let second: Store;
  beforeAll(async () => {
    etcd = await startEtcd();
    first = await createEtcdStore({ endpoints: etcd.endpoints });
    second = await createEtcdStore({ endpoints: etcd.endpoints });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await etcd?.stop();
  });
  const fresh = () => `/registry/shared/${randomUUID()}/`;

  it('see one state: one revision counter, each other’s writes and compare-and-swap conflicts', async () => {
    const p = fresh();
    const created = await first.create(`${p}a`, bytes('one'));
    expect(await second.currentRevision()).toBeGreaterThanOrEqual(created.modRevision);
    const seen = await second.get(`${p}a`);
    expect(text(seen.kv!.value)).toBe('one');
    const updated = await second.update(`${p}a`, bytes('two'), created.modRevision);
    await expect(first.update(`${p}a`, bytes('three'), created.modRevision)).rejects.toMatchObject({
      reason: 'Conflict',
      current: { modRevision: updated.modRevision },
    });
    await expect(second.create(`${p}a`, bytes('again'))).rejects.toMatchObject({ reason: 'AlreadyExists' });
    expect((await first.list(p)).kvs.map((kv) => text(kv.value))).toEqual(['two']);
  });

  it('deliver each other’s writes through watch, in order, with progress past them', async () => {
    const p = fresh();
    const start = await first.currentRevision();
    const onFirst = collect(first, p, start);
    const onSecond = collect(second, p, start);
    const a = await first.create(`${p}a`, bytes('from first'));
    const b = await second.create(`${p}b`, bytes('from second'));
    const a2 = await second.update(`${p}a`, bytes('second edits'), a.modRevision);
    const gone = await first.delete(`${p}b`);
    const expected = [a.modRevision, b.modRevision, a2.modRevision, gone.modRevision];
    for (const watch of [onFirst, onSecond]) {
      const events = await watch.until(4);
      expect(events.map((e) => e.kv.modRevision)).toEqual(expected);
      expect(events.map((e) => e.type)).toEqual(['put', 'put', 'put', 'delete']);
      expect(text(events[3]!.kv.value)).toBe('from second');
      expect(events[2]!.type === 'put' && events[2]!.prev && text(events[2]!.prev.value)).toBe('from first');
      await watch.untilProgress(gone.modRevision);
      await watch.stop();
    }
  });

  it('tells an idle watcher about writes elsewhere through progress notices', async () => {
    const quiet = fresh();
    const busy = fresh();
    const idle = collect(second, quiet, await second.currentRevision());
    const elsewhere = await first.create(`${busy}x`, bytes('x'));
    await idle.untilProgress(elsewhere.modRevision);
    expect(idle.events).toEqual([]);
    await idle.stop();
  });

  it('keeps stores with different prefixes apart on one etcd', async () => {
    const tenantA = await createEtcdStore({ endpoints: etcd.endpoints, prefix: `/tenant-${randomUUID()}` });
    const tenantB = await createEtcdStore({ endpoints: etcd.endpoints, prefix: `/tenant-${randomUUID()}` });
    try {
      const watchB = collect(tenantB, '/registry/', await tenantB.currentRevision());
      await tenantA.create('/registry/core/pods/default/web', bytes('a'));
      const inB = await tenantB.create('/registry/core/pods/default/web', bytes('b'));
      expect(text((await tenantA.get('/registry/core/pods/default/web')).kv!.value)).toBe('a');
      expect((await tenantB.list('/registry/')).kvs.map((kv) => [kv.key, text(kv.value)])).toEqual([
        ['/registry/core/pods/default/web', 'b'],
      ]);
      const events = await watchB.until(1);
      await watchB.untilProgress(inB.modRevision);
      expect(events.map((e) => [e.kv.key, text(e.kv.value)])).toEqual([['/registry/core/pods/default/web', 'b']]);
      await watchB.stop();
    } finally {
      await tenantA.close();
      await tenantB.close();
    }
  });
});
