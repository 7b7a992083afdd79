/**
 * kubectl against the served OpenAPI: explain (nested paths and --recursive) prints the catalog's
 * field docs, and create -f / apply -f pass kubectl's default validation. 1.27 and 1.28 read
 * /openapi/v2 as gnostic protobuf for these; 1.29+ read /openapi/v3. Each version has its own
 * --cache-dir (the kubectl helper), so every run fetches the documents afresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';
import { discoveryTrouble } from './versions.ts';

const versions: readonly KubectlVersion[] = ['1.27', '1.28', '1.30', '1.32', '1.35'];

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 1 });
});
afterAll(async () => {
  await wharf?.stop();
});

function manifests(namespace: string, replicas: number, value: string): string {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx',
              ports: [{ containerPort: 80 }],
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace },
    data: { key: value },
  };
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment, configMap] });
}

describe.each(versions)('kubectl %s with the served OpenAPI', (version) => {
  const namespace = `openapi-${version.replace('.', '-')}`;
  const ok = async (args: string[], input?: string) => {
    const result = await kubectl(version, args, {
      kubeconfig: wharf.kubeconfig,
      ...(input !== undefined ? { input } : {}),
    });
    expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };

  it('explain pods prints the kind and its fields', async () => {
    const { stdout } = await ok(['explain', 'pods']);
    expect(stdout).toMatch(/KIND:\s+Pod/);
    expect(stdout).toMatch(/VERSION:\s+v1/);
    expect(stdout).toContain('Pod is a collection of containers that can run on a host.');
    expect(stdout).toMatch(/^\s+spec\s+<PodSpec>/m);
    expect(stdout).toMatch(/^\s+metadata\s+<ObjectMeta>/m);
  });

  it('explain pod.spec.containers.resources follows references into nested types', async () => {
    const { stdout } = await ok(['explain', 'pod.spec.containers.resources']);
    expect(stdout).toMatch(/FIELD:\s+resources\s+<ResourceRequirements>/);
    expect(stdout).toContain('ResourceRequirements describes the compute resource requirements.');
    expect(stdout).toMatch(/^\s+limits\s+<map\[string\]/m);
    expect(stdout).toMatch(/^\s+requests\s+<map\[string\]/m);
    expect(stdout).toContain('Limits describes the maximum amount of compute resources allowed.');
  });

  it('explain shows MicroTime and Time fields as strings and no leaf type as an Object', async () => {
    for (const [path, field] of [
      ['lease.spec.renewTime', 'renewTime'],
      ['events.eventTime', 'eventTime'],
      ['pod.metadata.creationTimestamp', 'creationTimestamp'],
    ]) {
      expect((await ok(['explain', path])).stdout, path).toMatch(new RegExp(`FIELD:\\s+${field}\\s+<string>`));
    }
    for (const path of ['deployment.spec.strategy.rollingUpdate.maxSurge', 'pod.spec.volumes.emptyDir.sizeLimit']) {
      const { stdout } = await ok(['explain', path]);
      expect(stdout, path).toMatch(/FIELD:\s+\w+\s+<\w+>/);
      expect(stdout, path).not.toMatch(/<Object>/);
    }
  });

  it('explain deployment --recursive prints the whole field tree', async () => {
    const { stdout } = await ok(['explain', 'deployment', '--recursive']);
    expect(stdout).toMatch(/KIND:\s+Deployment/);
    expect(stdout).toMatch(/VERSION:\s+v1/);
    for (const field of [
      'strategy',
      'rollingUpdate',
      'maxSurge',
      'template',
      'containers',
      'readinessProbe',
      'conditions',
    ]) {
      expect(stdout, field).toMatch(new RegExp(`^\\s+${field}\\s+<`, 'm'));
    }
  });

  it('create -f and apply -f pass default validation', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
    expect((await ok(['create', '-f', '-'], JSON.stringify(ns))).stdout).toBe(`namespace/${namespace} created\n`);
    const created = await ok(['create', '-f', '-'], manifests(namespace, 1, 'one'));
    expect(created.stdout).toBe('deployment.apps/web created\nconfigmap/settings created\n');
    const applied = await ok(['apply', '-f', '-'], manifests(namespace, 2, 'two'));
    expect(applied.stdout).toBe('deployment.apps/web configured\nconfigmap/settings configured\n');
    const again = await ok(['apply', '-f', '-'], manifests(namespace, 3, 'three'));
    expect(again.stdout).toBe('deployment.apps/web configured\nconfigmap/settings configured\n');
    expect(again.stderr).toBe('');
    const { stdout } = await ok(['get', 'configmap', 'settings', '-n', namespace, '-o', 'jsonpath={.data.key}']);
    expect(stdout).toBe('three');
  });
});

describe.each(['1.27', '1.28'] as const)('kubectl %s', (version) => {
  it('reads /openapi/v2 as gnostic protobuf', async () => {
    const result = await kubectl(version, ['explain', 'configmaps', '-v=6'], { kubeconfig: wharf.kubeconfig });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/GET https:\/\/\S+\/openapi\/v2\?timeout=\S+ 200 OK/);
  });
});
