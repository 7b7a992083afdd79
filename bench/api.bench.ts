/**
 * `npm run bench api`: the API server over TLS on loopback, in one process with its load generator.
 *
 * 1. GET of one pod and LIST of 1,000 pods, against the same bytes served by a bare @hono/node-server
 *    handler over the same TLS: the ratio says how much of the raw HTTP stack the API layer keeps.
 * 2. Single-object creates at a fixed 500/s from 50 concurrent clients (open loop, so a slow server
 *    cannot hide latency by slowing the sender): p99.
 * 3. With 150,000 pods stored (BENCH_PODS overrides): GET p99 and the time of one full LIST.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startServer } from '../src/api/server.ts';
import { startCluster } from '../src/cluster/start-cluster.ts';
import type { RequestContext } from '../src/registry/types.ts';
import { type Metric, metric, percentile } from './harness.ts';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 3000);
const manyPods = Number(process.env.BENCH_PODS ?? 150_000);
const context: RequestContext = { user: { username: 'bench', groups: ['system:masters', 'system:authenticated'] } };

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'bench', tier: 'web' } },
  spec: { containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
});

interface Target {
  pool: Pool;
  headers: Record<string, string>;
}

async function send(
  target: Target,
  method: 'GET' | 'POST',
  path: string,
  body?: string,
): Promise<{ status: number; bytes: number }> {
  const response = await target.pool.request({
    method,
    path,
    headers: body ? { ...target.headers, 'content-type': 'application/json' } : target.headers,
    ...(body ? { body } : {}),
  });
  const bytes = (await response.body.arrayBuffer()).byteLength;
  return { status: response.statusCode, bytes };
}

async function createPod(target: Target, name: string): Promise<void> {
  const { status } = await send(target, 'POST', '/api/v1/namespaces/bench/pods', JSON.stringify(pod(name)));
  if (status !== 201) throw new Error(`create ${name}: ${status}`);
}

/** `concurrency` clients each sending the next request as soon as the last answered. */
async function closedLoop(target: Target, path: string, concurrency: number, ms = durationMs) {
  // Warm up: open every connection (TLS handshakes) before the clock starts.
  for (let round = 0; round < 3; round++) {
    await Promise.all(Array.from({ length: concurrency }, () => send(target, 'GET', path)));
  }
  const latencies: number[] = [];
  const deadline = performance.now() + ms;
  const started = performance.now();
  const client = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const { status } = await send(target, 'GET', path);
      if (status !== 200) throw new Error(`GET ${path}: ${status}`);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { perSecond: (latencies.length * 1000) / (performance.now() - started), latencies };
}

/** Requests started on a fixed schedule (`rate` per second), at most `clients` in flight. */
async function openLoop(rate: number, clients: number, total: number, request: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let inFlight = 0;
  let skipped = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= clients) {
      skipped++;
      continue;
    }
    inFlight++;
    // Latency counts from when the request was due, so queueing in the sender is charged too.
    pending.push(
      request(i).then(() => {
        latencies.push(performance.now() - due);
        inFlight--;
      }),
    );
  }
  await Promise.all(pending);
  return { latencies, skipped, seconds: (performance.now() - started) / 1000 };
}

export default async function apiBench(): Promise<Metric[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
  const cluster = await startCluster({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    kubeconfigPath: join(dataDir, 'kc'),
    nodes: 0,
    token: 'bench-token',
  });
  const tls = { ca: cluster.pki.caCertificate };
  const wharf: Target = {
    pool: new Pool(cluster.url, { connections: 50, pipelining: 1, connect: tls }),
    headers: { authorization: 'Bearer bench-token', accept: 'application/json' },
  };
  const metrics: Metric[] = [];
  try {
    const pods = cluster.registry.resources.lookup('', 'v1', 'pods');
    if (!pods) throw new Error('the registry serves no pods');
    await send(wharf, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bench' } }));
    await send(wharf, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'many' } }));

    // A fresh server compiles a kind's decode validator on its first write (`wharf up` does it off the
    // request path 2 s after start); that one-off is reported on its own, and the 50 connections are
    // opened (TLS handshakes) before the clock starts, as the GET loops below do.
    const firstStarted = performance.now();
    await createPod(wharf, 'warm-0');
    metrics.push(metric('first pod create (compiles the Pod validator)', performance.now() - firstStarted, 'ms'));
    await Promise.all(Array.from({ length: 50 }, (_, i) => createPod(wharf, `warm-${i + 1}`)));

    // 2. Creates first: they also fill the namespace with the 1,000 pods the LIST below reads.
    const creates = await openLoop(500, 50, 2500, (i) => createPod(wharf, `pod-${i}`));
    metrics.push(metric('create p99 at 500/s, 50 clients', percentile(creates.latencies, 99), 'ms', { max: 25 }));
    metrics.push(metric('create p50 at 500/s, 50 clients', percentile(creates.latencies, 50), 'ms'));
    metrics.push(metric('creates not sent (50 in flight)', creates.skipped, 'count', { max: 0 }));

    // 1. GET one / LIST 1,000 against a bare handler serving the same bytes.
    const onePath = '/api/v1/namespaces/bench/pods/pod-7';
    const listPath = '/api/v1/namespaces/bench/pods?limit=1000';
    const oneBytes = await (
      await wharf.pool.request({ path: onePath, method: 'GET', headers: wharf.headers })
    ).body.arrayBuffer();
    const listBytes = await (
      await wharf.pool.request({ path: listPath, method: 'GET', headers: wharf.headers })
    ).body.arrayBuffer();
    const bare = await startServer({
      host: '127.0.0.1',
      port: 0,
      tls: { key: cluster.pki.serving.key, cert: cluster.pki.serving.certificate, ca: cluster.pki.caCertificate },
      fetch: (request) =>
        new Response(new URL(request.url).pathname.endsWith('/pods') ? listBytes : oneBytes, {
          headers: { 'content-type': 'application/json' },
        }),
    });
    const baseline: Target = { pool: new Pool(bare.url, { connections: 50, connect: tls }), headers: wharf.headers };
    try {
      for (const [label, path, concurrency] of [
        ['GET one pod', onePath, 32],
        ['LIST 1000 pods', listPath, 4],
      ] as const) {
        const ours = await closedLoop(wharf, path, concurrency);
        const theirs = await closedLoop(baseline, path, concurrency);
        metrics.push(metric(`${label}: wharf`, ours.perSecond, 'req/s'));
        metrics.push(metric(`${label}: bare hono, same bytes`, theirs.perSecond, 'req/s'));
        metrics.push(metric(`${label}: ratio`, ours.perSecond / theirs.perSecond, 'x', { min: 0.5 }));
      }
    } finally {
      await baseline.pool.close();
      await bare.close();
    }

    // 3. Many pods, written through the registry (HTTP would only make the set-up slower).
    const fillStarted = performance.now();
    for (let i = 0; i < manyPods; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, manyPods - i) }, (_, j) =>
          cluster.registry.create(pods, 'many', pod(`pod-${i + j}`), context),
        ),
      );
    }
    metrics.push(metric(`fill ${manyPods} pods via the registry`, (performance.now() - fillStarted) / 1000, 's'));
    const gets = await closedLoop(wharf, `/api/v1/namespaces/many/pods/pod-${Math.floor(manyPods / 2)}`, 8);
    metrics.push(metric(`GET p99 with ${manyPods} pods`, percentile(gets.latencies, 99), 'ms', { max: 25 }));
    const listTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      // Timed until the last byte arrives; the client then parses it all and counts the items (untimed:
      // parsing 150,000 objects is the client's cost, and it shares this process with the server).
      const t = performance.now();
      const response = await wharf.pool.request({
        method: 'GET',
        path: '/api/v1/namespaces/many/pods',
        headers: wharf.headers,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      listTimes.push(performance.now() - t);
      const items = (JSON.parse(Buffer.concat(chunks).toString()) as { items?: unknown[] }).items?.length;
      if (response.statusCode !== 200 || items !== manyPods)
        throw new Error(`full LIST: ${response.statusCode}, ${items} items`);
    }
    metrics.push(metric(`full LIST of ${manyPods} pods (median of 3)`, percentile(listTimes, 50), 'ms', { max: 1000 }));
  } finally {
    await wharf.pool.close();
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return metrics;
}
