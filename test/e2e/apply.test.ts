/**
 * kubectl apply (client-side three-way merge and --server-side), patch of every type, edit, diff and
 * the commands built on strategic merge patch, through real kubectl 1.27, 1.32 and 1.35.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';

const versions: readonly KubectlVersion[] = ['1.27', '1.32', '1.35'];

let wharf: Wharf;
let scratch: string;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 1 });
  scratch = mkdtempSync(join(tmpdir(), 'wharf-apply-'));
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  expect(await wharf?.stop()).toBe(0);
});

function deployment(name: string, namespace: string, replicas: number, image: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: ${image}
${extra}`;
}

interface Deployment {
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: { manager: string; operation: string }[];
  };
  spec: {
    replicas: number;
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: { name: string; image: string; env?: unknown[] }[] };
    };
  };
}

/** manager/operation of each managedFields entry, sorted, leaving out the controllers' status writes. */
const managers = (d: Deployment) =>
  (d.metadata.managedFields ?? [])
    .filter((e) => !e.manager.startsWith('kube-controller-manager'))
    .map((e) => `${e.manager}/${e.operation}`)
    .sort();

describe.each(versions)('kubectl %s', (version) => {
  const ns = `apply-${version.replace('.', '-')}`;
  const k = (args: string[], input?: string) =>
    kubectl(version, args, { kubeconfig: wharf.kubeconfig, ...(input !== undefined ? { input } : {}) });
  const ok = async (args: string[], input?: string) => {
    const result = await k(args, input);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const getDeployment = async (name: string, extra: string[] = []) =>
    JSON.parse(await ok(['-n', ns, 'get', 'deployment', name, '-o', 'json', ...extra])) as Deployment;

  beforeAll(async () => {
    await ok(['create', 'namespace', ns]);
  });

  it('client-side apply keeps fields set by others and removes fields dropped from the manifest', async () => {
    const withEnv = '        env:\n        - {name: A, value: "1"}\n';
    expect(await ok(['apply', '-f', '-'], deployment('csa', ns, 1, 'nginx:1.25', withEnv))).toMatch(/created/);
    await ok(['-n', ns, 'label', 'deployment', 'csa', 'team=blue']);
    await ok(['-n', ns, 'set', 'image', 'deployment/csa', 'web=nginx:1.26']);
    expect(await ok(['apply', '-f', '-'], deployment('csa', ns, 2, 'nginx:1.27'))).toMatch(/configured/);
    const live = await getDeployment('csa');
    expect(live.spec.replicas).toBe(2);
    expect(live.metadata.labels).toEqual({ app: 'csa', team: 'blue' });
    expect(live.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
    expect(live.spec.template.spec.containers[0]?.env).toBeUndefined();
    expect(await ok(['apply', '-f', '-'], deployment('csa', ns, 2, 'nginx:1.27'))).toMatch(/unchanged/);
  });

  it('server-side apply creates, conflicts with another manager, and takes over with --force-conflicts', async () => {
    const manifest = deployment('ssa', ns, 1, 'nginx:1.25');
    expect(await ok(['apply', '--server-side', '-f', '-'], manifest)).toMatch(/serverside-applied/);
    await ok(['-n', ns, 'scale', 'deployment', 'ssa', '--replicas=3']);
    const conflict = await k(['apply', '--server-side', '-f', '-'], deployment('ssa', ns, 2, 'nginx:1.25'));
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(
      /Apply failed with 1 conflict: conflict with "kubectl[^"]*"( with subresource "scale")? using apps\/v1: \.spec\.replicas/,
    );
    await ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], deployment('ssa', ns, 2, 'nginx:1.25'));
    const live = await getDeployment('ssa', ['--show-managed-fields']);
    expect(live.spec.replicas).toBe(2);
    expect(live.metadata.managedFields?.find((e) => e.operation === 'Apply')?.manager).toBe('kubectl');
    // Dropping a container field the applier owned removes it.
    await ok(['apply', '--server-side', '-f', '-'], deployment('ssa', ns, 2, 'nginx:1.26'));
    expect((await getDeployment('ssa')).spec.template.spec.containers[0]?.image).toBe('nginx:1.26');
  });

  it('server-side apply after client-side apply takes over its fields (kubectl migrates the manager)', async () => {
    const withEnv = '        env:\n        - {name: A, value: "1"}\n';
    await ok(['apply', '-f', '-'], deployment('mig', ns, 1, 'nginx:1.25', withEnv));
    expect(managers(await getDeployment('mig', ['--show-managed-fields']))).toEqual([
      'kubectl-client-side-apply/Update',
    ]);
    await ok(['apply', '--server-side', '-f', '-'], deployment('mig', ns, 1, 'nginx:1.25', withEnv));
    // kubectl keeps the last-applied annotation current under a manager of its own.
    expect(managers(await getDeployment('mig', ['--show-managed-fields']))).toEqual([
      'kubectl-last-applied/Apply',
      'kubectl/Apply',
    ]);
    // The migrated fields are the applier's now: dropping env from the manifest removes it.
    await ok(['apply', '--server-side', '-f', '-'], deployment('mig', ns, 1, 'nginx:1.25'));
    expect((await getDeployment('mig')).spec.template.spec.containers[0]?.env).toBeUndefined();
  });

  it('client-side and server-side apply of the same manifests store the same spec', async () => {
    const series = [
      deployment('x', ns, 1, 'nginx:1.25', '        env:\n        - {name: A, value: "1"}\n'),
      deployment('x', ns, 3, 'nginx:1.26'),
    ];
    for (const manifest of series) {
      await ok(
        ['apply', '-f', '-'],
        manifest.replaceAll('name: x', 'name: cross-csa').replaceAll('app: x', 'app: cross'),
      );
      await ok(
        ['apply', '--server-side', '-f', '-'],
        manifest.replaceAll('name: x', 'name: cross-ssa').replaceAll('app: x', 'app: cross'),
      );
    }
    const csa = await getDeployment('cross-csa');
    const ssa = await getDeployment('cross-ssa');
    expect(JSON.stringify(ssa.spec, null, 1)).toBe(JSON.stringify(csa.spec, null, 1));
  });

  it('client-side and server-side apply agree on a longer series: containers, ports, volumes, labels, a Service', async () => {
    const container = (name: string, port: number, env: string) =>
      `      - name: ${name}\n        image: busybox\n        ports: [{containerPort: ${port}, name: p${port}}]\n${env}`;
    const manifest = (labels: string, containers: string, volumes: string, servicePorts: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: x, namespace: ${ns}, labels: {${labels}}}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
${containers}      volumes:
${volumes}---
apiVersion: v1
kind: Service
metadata: {name: x, namespace: ${ns}, labels: {${labels}}}
spec:
  selector: {app: x}
  ports:
${servicePorts}`;
    const series = [
      manifest(
        'app: x, tier: web',
        container('a', 80, '        env: [{name: A, value: "1"}, {name: B, value: "2"}]\n') + container('b', 81, ''),
        '      - {name: data, emptyDir: {}}\n      - {name: conf, configMap: {name: c}}\n',
        '  - {name: http, port: 80, targetPort: 80}\n  - {name: dns, port: 53, protocol: UDP}\n',
      ),
      // Reorder and drop a container, drop an env var and a label, switch a volume's source, drop a port.
      manifest(
        'app: x',
        container('b', 8081, '') + container('a', 80, '        env: [{name: B, value: "two"}]\n'),
        '      - {name: data, configMap: {name: d}}\n',
        '  - {name: http, port: 8080, targetPort: 80}\n',
      ),
      manifest(
        'app: x, extra: "1"',
        container('a', 80, ''),
        '      - {name: data, configMap: {name: d}}\n      - {name: fresh, emptyDir: {}}\n',
        '  - {name: http, port: 8080, targetPort: 80}\n  - {name: https, port: 443, targetPort: 443}\n',
      ),
    ];
    for (const m of series) {
      await ok(['apply', '-f', '-'], m.replaceAll('name: x,', 'name: series-csa,'));
      await ok(['apply', '--server-side', '-f', '-'], m.replaceAll('name: x,', 'name: series-ssa,'));
    }
    for (const kind of ['deployment', 'service']) {
      const read = async (name: string) => {
        const o = JSON.parse(await ok(['-n', ns, 'get', kind, name, '-o', 'json'])) as {
          metadata: { labels: unknown };
          spec: Record<string, unknown>;
        };
        // Allocated per Service, so never equal between two of them.
        for (const field of ['clusterIP', 'clusterIPs']) delete o.spec[field];
        return JSON.stringify({ labels: o.metadata.labels, spec: o.spec }, null, 1);
      };
      expect(await read('series-ssa'), kind).toBe(await read('series-csa'));
    }
    const final = JSON.parse(await ok(['-n', ns, 'get', 'deployment', 'series-ssa', '-o', 'json'])) as {
      metadata: { labels: unknown };
      spec: { template: { spec: { containers: { name: string; env?: unknown }[]; volumes: unknown[] } } };
    };
    expect(final.metadata.labels).toEqual({ app: 'x', extra: '1' });
    expect(final.spec.template.spec.containers.map((c) => [c.name, c.env])).toEqual([['a', undefined]]);
    expect(final.spec.template.spec.volumes).toEqual([
      { name: 'data', configMap: { name: 'd', defaultMode: 420 } },
      { name: 'fresh', emptyDir: {} },
    ]);
    const service = JSON.parse(await ok(['-n', ns, 'get', 'service', 'series-csa', '-o', 'json'])) as {
      spec: { ports: { name: string; port: number }[] };
    };
    expect(service.spec.ports.map((p) => [p.name, p.port])).toEqual([
      ['http', 8080],
      ['https', 443],
    ]);
  });

  it('patch of every type, edit, diff, rollout restart and cordon', async () => {
    await ok(['apply', '-f', '-'], deployment('p', ns, 1, 'nginx:1.25'));
    await ok([
      '-n',
      ns,
      'patch',
      'deployment',
      'p',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}',
    ]);
    await ok(['-n', ns, 'patch', 'deployment', 'p', '--type=merge', '-p', '{"spec":{"replicas":2}}']);
    await ok([
      '-n',
      ns,
      'patch',
      'deployment',
      'p',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/spec/minReadySeconds","value":5}]',
    ]);
    let live = await getDeployment('p', ['--show-managed-fields']);
    expect(live.spec.template.spec.containers[0]?.image).toBe('nginx:2');
    expect(live.spec.replicas).toBe(2);
    expect(managers(live)).toEqual(['kubectl-client-side-apply/Update', 'kubectl-patch/Update']);
    await ok(['-n', ns, 'rollout', 'restart', 'deployment', 'p']);
    live = await getDeployment('p', ['--show-managed-fields']);
    expect(live.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    expect(managers(live)).toContain('kubectl-rollout/Update');
    const editor = join(scratch, `editor-${version}.sh`);
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 2/replicas: 4/" "$1"\n');
    chmodSync(editor, 0o755);
    // kubectl reads its editor from the environment the helper passes on.
    process.env.KUBE_EDITOR = editor;
    await ok(['-n', ns, 'edit', 'deployment', 'p']);
    delete process.env.KUBE_EDITOR;
    const edited = await getDeployment('p', ['--show-managed-fields']);
    expect(edited.spec.replicas).toBe(4);
    expect(managers(edited)).toContain('kubectl-edit/Update');
    const diff = await k(['diff', '-f', '-'], deployment('p', ns, 5, 'nginx:2'));
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/replicas: 5/);
    const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])) as { items: { metadata: { name: string } }[] };
    const node = nodes.items[0]?.metadata.name as string;
    await ok(['cordon', node]);
    const cordoned = JSON.parse(
      await ok(['get', 'node', node, '-o', 'json', '--show-managed-fields']),
    ) as Deployment & {
      spec: { unschedulable?: boolean };
    };
    expect(cordoned.spec.unschedulable).toBe(true);
    // cordon sends no fieldManager, so the server names the manager after the user agent, whose
    // product is the binary's name (kubectl.1.27 here).
    expect(managers(cordoned).some((m) => /^kubectl(\.1\.\d+)?\/Update$/.test(m))).toBe(true);
    await ok(['uncordon', node]);
  });
});
