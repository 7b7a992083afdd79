/**
 * kubectl top nodes / top pods through real kubectl binaries: metrics.k8s.io is discovered and its
 * NodeMetrics and PodMetrics, computed from the simulated usage, print as a real cluster's do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../src/controllers/runtime/eventually.ts';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';
import { discoveryTrouble, e2eVersions } from './versions.ts';

let wharf: Wharf;

async function ok(version: KubectlVersion, args: string[]): Promise<string> {
  const result = await kubectl(version, args, { kubeconfig: wharf.kubeconfig, timeoutMs: 60_000 });
  expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
  expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

const pod = (name: string, cpu: string, memory: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: top, labels: { app: ${name} } }
spec:
  containers:
  - name: main
    image: nginx:1.27
    resources:
      requests: { cpu: ${cpu}, memory: ${memory} }
      limits: { cpu: ${cpu}, memory: ${memory} }
`;

beforeAll(async () => {
  wharf = await startWharf({ nodes: 2 });
  await ok('1.35', ['create', 'namespace', 'top']);
  const input = [pod('big', '500m', '256Mi'), pod('small', '100m', '64Mi')].join('---\n');
  const created = await kubectl('1.35', ['apply', '-f', '-'], { kubeconfig: wharf.kubeconfig, input });
  expect(created.code, created.stderr).toBe(0);
  await ok('1.35', ['wait', '--for=condition=Ready', 'pod/big', 'pod/small', '-n', 'top', '--timeout=60s']);
}, 90_000);
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const millicores = (cell: string) => Number(cell.replace(/m$/, ''));
const mebibytes = (cell: string) => Number(cell.replace(/Mi$/, ''));

describe.each(e2eVersions)('kubectl %s', (version) => {
  it('top nodes prints every Ready node with CPU and memory use and their share of allocatable', async () => {
    const out = await ok(version, ['top', 'nodes']);
    const [header, ...rows] = out.trim().split('\n');
    expect(header).toMatch(/^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)/);
    expect(rows.map((r) => r.split(/\s+/)[0]).sort()).toEqual(['node-1', 'node-2']);
    for (const row of rows) expect(row).toMatch(/^node-\d\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
  });

  it('top pods prints usage around the requests, never above the limits', async () => {
    await eventually(async () => {
      const out = await ok(version, ['top', 'pods', '-n', 'top']);
      const cells = new Map(
        out
          .trim()
          .split('\n')
          .slice(1)
          .map((row) => {
            const [name, cpu, memory] = row.split(/\s+/);
            return [name, { cpu: millicores(cpu ?? ''), memory: mebibytes(memory ?? '') }] as const;
          }),
      );
      expect([...cells.keys()].sort()).toEqual(['big', 'small']);
      expect(cells.get('big')?.cpu).toBeGreaterThanOrEqual(300);
      expect(cells.get('big')?.cpu).toBeLessThanOrEqual(500);
      expect(cells.get('big')?.memory).toBeGreaterThanOrEqual(179);
      expect(cells.get('big')?.memory).toBeLessThanOrEqual(231);
      expect(cells.get('small')?.cpu).toBeLessThanOrEqual(100);
    }, 50);
  });

  it('top pods --containers and -l select as metrics-server does', async () => {
    const out = await ok(version, ['top', 'pods', '-n', 'top', '-l', 'app=small', '--containers']);
    const [header, ...rows] = out.trim().split('\n');
    expect(header).toMatch(/^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^small\s+main\s+\d+m\s+\d+Mi/);
  });

  it('get --raw reads NodeMetrics as JSON', async () => {
    const list = JSON.parse(await ok(version, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes'])) as {
      kind: string;
      items: { usage: { cpu: string; memory: string } }[];
    };
    expect(list.kind).toBe('NodeMetricsList');
    expect(list.items[0]?.usage.cpu).toMatch(/^\d+n$/);
  });
});
