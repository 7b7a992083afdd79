import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorageError, type Store } from '../types.ts';
import { type EtcdCluster, type EtcdClusterMember, startEtcdCluster } from './etcd-process.ts';
import { createEtcdStore } from './etcd-store.ts';
import { bytes, collect, text } from './test-helpers.ts';

/** How long one write may keep failing while the cluster elects a new leader and the client fails over. */
const retryWindowMs = 20_000;

/** The member that currently leads, from etcd's maintenance status (gRPC gateway, JSON). */
async function findLeader(members: EtcdClusterMember[]): Promise<EtcdClusterMember> {
  for (const member of members) {
    const response = await fetch(`${member.endpoint}/v3/maintenance/status`, { method: 'POST', body: '{}' });
    const status = (await response.json()) as { header?: { member_id?: string }; leader?: string };
    if (status.leader && status.header?.member_id === status.leader) return member;
  }
  throw new Error('no member reports itself as leader');
}

describe('etcd store on a 3-member cluster', () => {
  let cluster: EtcdCluster;
  let store: Store;
  beforeAll(async () => {
    cluster = await startEtcdCluster(3);
    store = await createEtcdStore({ endpoints: cluster.endpoints });
  });
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it('keeps writing while the leader stops, and then crashes, mid-traffic; loses no acknowledged write', async () => {
    const p = `/registry/cluster/${randomUUID()}/`;
    const watch = collect(store, p, await store.currentRevision());
    const acknowledged = new Map<string, number>();
    let isStopping = false;

    /** Creates `key` until it is known to be written; a lost reply to a write that did commit shows as AlreadyExists. */
    const writeOnce = async (key: string, value: string): Promise<void> => {
      const deadline = Date.now() + retryWindowMs;
      for (;;) {
        try {
          const kv = await store.create(key, bytes(value));
          acknowledged.set(key, kv.modRevision);
          return;
        } catch (err) {
          if (isStorageError(err, 'AlreadyExists')) {
            const { kv } = await store.get(key);
            if (kv && text(kv.value) === value) acknowledged.set(key, kv.modRevision);
            return;
          }
          if (!isStorageError(err, 'Unavailable') || Date.now() > deadline) throw err;
          await sleep(50);
        }
      }
    };
    const writer = async (id: number): Promise<void> => {
      for (let i = 0; !isStopping; i++) await writeOnce(`${p}w${id}-${String(i).padStart(5, '0')}`, `${id}:${i}`);
    };

    const writers = [0, 1, 2, 3].map(writer);
    const writesMore = async (count: number) => {
      const target = acknowledged.size + count;
      while (acknowledged.size < target) await sleep(10);
    };
    await writesMore(100);
    // A graceful stop: etcd hands leadership over before it exits.
    const leader = await findLeader(cluster.members);
    await leader.stop();
    await writesMore(100);
    await leader.start();
    await writesMore(50);
    // A crash: the followers notice only when heartbeats stop, then elect; in-flight writes fail.
    const crashed = await findLeader(cluster.members);
    await crashed.kill();
    await writesMore(100);
    isStopping = true;
    await Promise.all(writers);
    await crashed.start();

    // Every acknowledged write is readable, with the revision it was acknowledged at.
    const listed = await store.list(p);
    const stored = new Map(listed.kvs.map((kv) => [kv.key, kv.modRevision]));
    for (const [key, revision] of acknowledged) expect(stored.get(key), key).toBe(revision);

    // The store's watch followed the failover: each write once, in revision order.
    const events = await watch.until(listed.kvs.length);
    const revisions = events.map((e) => e.kv.modRevision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e.kv.key)).size).toBe(events.length);
    for (const key of acknowledged.keys())
      expect(
        events.some((e) => e.kv.key === key),
        key,
      ).toBe(true);
    await watch.stop();

    // The crashed member comes back and serves the same state on its own.
    const direct = await createEtcdStore({ endpoints: [crashed.endpoint] });
    try {
      const seen = await direct.list(p);
      expect(seen.kvs.map((kv) => kv.key)).toEqual(listed.kvs.map((kv) => kv.key));
    } finally {
      await direct.close();
    }
  });
});
