/**
 * `npm run bench crd`: custom resources through the registry, in process, on the embedded store.
 *
 * 1. Validated creates/s of the Widget CRD's objects (pruning, defaulting, ajv schema validation and
 *    CEL rules on every create), 64 in flight. Target >= 5,000/s.
 * 2. 100 CRDs created one after another until all are Established and served by aggregated discovery
 *    (the /apis document lists every group). Target <= 5 s.
 * Both also report the process CPU time they took, which a loaded machine distorts far less.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiscovery } from '../src/api/discovery/discovery.ts';
import { widget, widgetCRD } from '../src/registry/crd/testing/widget-crd.ts';
import { createRegistry } from '../src/registry/registry.ts';
import type { RequestContext } from '../src/registry/types.ts';
import { createEmbeddedStore } from '../src/storage/embedded/index.ts';
import { type Metric, metric } from './harness.ts';

const creates = Number(process.env.BENCH_CRD_CREATES ?? 20_000);
const crdCount = 100;
const inFlight = 64;
const context: RequestContext = { user: { username: 'bench', groups: ['system:masters', 'system:authenticated'] } };
const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;
const aggregatedAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export default async function crd(): Promise<Metric[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-bench-crd-'));
  const store = await createEmbeddedStore({ dataDir });
  try {
    const registry = await createRegistry({ store });
    const crdDef = registry.resources.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    if (!crdDef) throw new Error('no customresourcedefinitions');
    await registry.create(crdDef, undefined, widgetCRD(), context);
    const widgets = registry.resources.lookup('example.com', 'v1', 'widgets');
    if (!widgets) throw new Error('widgets not served');

    let next = 0;
    const started = performance.now();
    const createCpu = process.cpuUsage();
    const worker = async () => {
      for (let i = next++; i < creates; i = next++) {
        await registry.create(widgets, 'default', widget(`w-${i}`, { replicas: i % 5, tags: ['a'] }), context);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const createSeconds = (performance.now() - started) / 1000;
    const createCpuSeconds = cpuSeconds(process.cpuUsage(createCpu));

    const discovery = createDiscovery(registry.resources);
    const crdsStarted = performance.now();
    const crdCpu = process.cpuUsage();
    for (let i = 0; i < crdCount; i++) {
      const result = await registry.create(crdDef, undefined, widgetCRD(`bench${i}.example.com`), context);
      const conditions = (result.object.status as { conditions?: { type: string; status: string }[] }).conditions;
      if (!conditions?.some((c) => c.type === 'Established' && c.status === 'True')) throw new Error('not Established');
    }
    const response = discovery.serve(['apis'], aggregatedAccept, null);
    const document = (await response?.json()) as { items: { metadata: { name: string } }[] };
    const listed = document.items.filter((g) => g.metadata.name.startsWith('bench')).length;
    if (listed !== crdCount) throw new Error(`discovery lists ${listed} of ${crdCount} CRD groups`);
    const crdSeconds = (performance.now() - crdsStarted) / 1000;
    const crdCpuSeconds = cpuSeconds(process.cpuUsage(crdCpu));

    return [
      metric('custom resource creates (validated)', creates / createSeconds, 'creates/s', { min: 5000 }),
      metric('100 CRDs Established and in discovery', crdSeconds, 's', { max: 5 }),
      // CPU time tells what the code costs when the shared machine is busy and wall time is not.
      metric('custom resource creates per CPU second', creates / createCpuSeconds, 'creates/cpu-s'),
      metric('CPU for 100 CRDs Established', crdCpuSeconds, 'cpu-s'),
    ];
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
