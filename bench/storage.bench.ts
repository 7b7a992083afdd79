/**
 * `npm run bench storage`: the Store's hot paths, measured the same way for every backend.
 *
 * Embedded always; etcd too when src/storage/etcd/etcd-process.ts and an `etcd` binary are present,
 * adding `<metric> ratio embedded/etcd` metrics (> 1 means embedded is faster for rates, < 1 means
 * lower latency for times). Targets apply to the embedded store only.
 */
import { execFileSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DurabilityLevel } from '../src/storage/embedded/durable-file.ts';
import { createEmbeddedStore } from '../src/storage/embedded/index.ts';
import type { Store } from '../src/storage/types.ts';
import { type Metric, metric, percentile } from './harness.ts';

interface Opened {
  store: Store;
  cleanup(): Promise<void>;
}

/** How much work each measurement does; etcd is far slower per call, so it gets a smaller sample. */
interface Scale {
  creates: number;
  getMs: number;
  watchWrites: number;
}

interface Measured {
  createsPerSecond: number;
  /** Process CPU (all threads: JavaScript, lmdb's writer, GC helpers) per create; steadier than the rate. */
  createCpuUs: number;
  getsPerSecond: number;
  list10kMs: number;
  watch1kP99Ms: number;
}

const writers = 50;
const valueBytes = 2048;
const watchers = 1000;

/**
 * 2 KiB values shaped like what the registry stores: Buffers made from JSON strings. They are made once,
 * before anything is timed: serializing a 2 KiB document takes 6-8 us of CPU here, as much as the
 * store's own work per create, and it is the caller's work, which the 50 writers would otherwise do on
 * the same thread between two commits. The store copies what it is given, so reusing a value is safe.
 */
const values = Array.from({ length: 1000 }, (_, i) =>
  Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(valueBytes - 20) }).slice(0, valueBytes)),
);
const value = (i: number) => values[i % values.length] as Buffer;

async function createMany(store: Store, prefix: string, count: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < count; i = next++)
        await store.create(`${prefix}${String(i).padStart(6, '0')}`, value(i));
    }),
  );
  return performance.now() - start;
}

async function measureGets(store: Store, prefix: string, keys: number, durationMs: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 1000; i++) await store.get(`${prefix}${String((done + i) % keys).padStart(6, '0')}`);
    done += 1000;
  }
  return done / ((performance.now() - start) / 1000);
}

async function measureList(store: Store, prefix: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    const listed = await store.list(prefix);
    times.push(performance.now() - start);
    if (listed.kvs.length !== 10_000) throw new Error(`listed ${listed.kvs.length} objects, expected 10000`);
  }
  return percentile(times, 50);
}

/** Time from issuing a write until every one of the watchers has received it. */
async function measureFanOut(store: Store, prefix: string, writes: number): Promise<number> {
  const controller = new AbortController();
  // One signal ends all the watchers; that is a thousand listeners by design, not a leak.
  setMaxListeners(watchers + 10, controller.signal);
  let seen = 0;
  let onAllSeen: () => void = () => {};
  const from = await store.currentRevision();
  const running = Array.from({ length: watchers }, async () => {
    for await (const batch of store.watch(prefix, from, { signal: controller.signal })) {
      seen += batch.events.length;
      if (seen === watchers) onAllSeen();
    }
  });
  const latencies: number[] = [];
  for (let i = 0; i < writes; i++) {
    seen = 0;
    const allSeen = new Promise<void>((resolve) => {
      onAllSeen = resolve;
    });
    const start = performance.now();
    await store.create(`${prefix}${i}`, value(i));
    await allSeen;
    latencies.push(performance.now() - start);
  }
  controller.abort();
  await Promise.allSettled(running);
  return percentile(latencies, 99);
}

export async function measureStore(label: string, open: () => Promise<Opened>, scale: Scale): Promise<Measured> {
  const { store, cleanup } = await open();
  try {
    const run = `/registry/bench/${label}-${Date.now()}`;
    // One failed measurement (say, a backend limit) is reported as NaN instead of losing the others.
    const attempt = async (name: string, measure: () => Promise<number>): Promise<number> => {
      try {
        return await measure();
      } catch (err) {
        console.warn(`${label}: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        return Number.NaN;
      }
    };
    // Fan-out first, on a small store, so it measures delivery rather than GC after bulk loads.
    const watch1kP99Ms = await attempt('watch', () => measureFanOut(store, `${run}/watch/`, scale.watchWrites));
    let createCpuUs = Number.NaN;
    const createsPerSecond = await attempt('creates', async () => {
      const cpu = process.cpuUsage();
      const ms = await createMany(store, `${run}/creates/`, scale.creates);
      const used = process.cpuUsage(cpu);
      createCpuUs = (used.user + used.system) / scale.creates;
      return scale.creates / (ms / 1000);
    });
    const getsPerSecond = await attempt('gets', () =>
      measureGets(store, `${run}/creates/`, scale.creates, scale.getMs),
    );
    const list10kMs = await attempt('list', async () => {
      await createMany(store, `${run}/list/`, 10_000);
      return measureList(store, `${run}/list/`);
    });
    return { createsPerSecond, createCpuUs, getsPerSecond, list10kMs, watch1kP99Ms };
  } finally {
    await cleanup();
  }
}

function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Retained bytes per stored 2 KiB object after a full GC: heapUsed + external. Node's `external`
 * already includes `arrayBuffers` (see process.memoryUsage docs), so adding `arrayBuffers` again
 * would count every value twice. lmdb's memory map is file-backed page cache and not counted.
 */
async function measureMemoryPerObject(count: number): Promise<number> {
  const gc = gcFunction();
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-bench-memory-'));
  const store = await createEmbeddedStore({ dataDir });
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  try {
    await store.create('/registry/bench/warm-up', value(0));
    const before = used();
    await createMany(store, '/registry/bench/memory/', count);
    const after = used();
    return (after - before) / count;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const embedded = async (durability: DurabilityLevel = 'flush'): Promise<Opened> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
  const store = await createEmbeddedStore({ dataDir, durability });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

const etcdProcessModule = join(dirname(fileURLToPath(import.meta.url)), '../src/storage/etcd/etcd-process.ts');

function hasEtcd(): boolean {
  if (!existsSync(etcdProcessModule)) return false;
  try {
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function etcd(): Promise<Opened> {
  const { startEtcd } = (await import('../src/storage/etcd/etcd-process.ts')) as {
    startEtcd(): Promise<{ endpoints: string[]; stop(): Promise<void> }>;
  };
  const { createEtcdStore } = await import('../src/storage/etcd/index.ts');
  const server = await startEtcd();
  const store = await createEtcdStore({ endpoints: server.endpoints });
  return {
    store,
    async cleanup() {
      await store.close();
      await server.stop();
    },
  };
}

export default async function storageBench(): Promise<Metric[]> {
  const memoryPerObject = await measureMemoryPerObject(20_000);
  const mine = await measureStore('embedded', () => embedded(), { creates: 60_000, getMs: 1000, watchWrites: 200 });
  const atCommit = await embedded('commit');
  const commitCreates = await createMany(atCommit.store, '/registry/bench/commit/', 10_000)
    .then((ms) => 10_000 / (ms / 1000))
    .finally(() => atCommit.cleanup());
  const metrics: Metric[] = [
    metric('embedded durable creates/s (50 writers, 2 KiB)', mine.createsPerSecond, 'ops/s', { min: 30_000 }),
    metric('embedded process CPU per durable create', mine.createCpuUs, 'us'),
    metric('embedded creates/s acked at commit, before fsync (durability commit)', commitCreates, 'ops/s'),
    metric('embedded gets/s', mine.getsPerSecond, 'ops/s', { min: 200_000 }),
    metric('embedded list of 10,000 objects (median)', mine.list10kMs, 'ms', { max: 20 }),
    metric('embedded write seen by 1,000 watchers (p99)', mine.watch1kP99Ms, 'ms', { max: 50 }),
    metric('embedded memory per stored 2 KiB object', memoryPerObject, 'bytes', { max: 3072 }),
  ];
  console.log(metrics.map((m) => `${m.name}: ${m.value} ${m.unit}`).join('\n'));
  if (!hasEtcd()) return metrics;
  const theirs = await measureStore('etcd', etcd, { creates: 5_000, getMs: 1000, watchWrites: 50 });
  metrics.push(
    metric('etcd creates/s (50 writers, 2 KiB)', theirs.createsPerSecond, 'ops/s'),
    metric('etcd client process CPU per create (etcd itself not counted)', theirs.createCpuUs, 'us'),
    metric('etcd gets/s', theirs.getsPerSecond, 'ops/s'),
    metric('etcd list of 10,000 objects (median)', theirs.list10kMs, 'ms'),
    metric('etcd write seen by 1,000 watchers (p99)', theirs.watch1kP99Ms, 'ms'),
    metric('creates/s ratio embedded/etcd', mine.createsPerSecond / theirs.createsPerSecond, 'x'),
    metric('gets/s ratio embedded/etcd', mine.getsPerSecond / theirs.getsPerSecond, 'x'),
    metric('list 10k ms ratio embedded/etcd', mine.list10kMs / theirs.list10kMs, 'x'),
    metric('watch fan-out p99 ratio embedded/etcd', mine.watch1kP99Ms / theirs.watch1kP99Ms, 'x'),
  );
  return metrics;
}
