/**
 * CustomResourceDefinitions end to end: the Widget CRD (every schema feature, two versions, status and
 * scale, printer columns) through real kubectl 1.35, @kubernetes/client-node's CustomObjectsApi and a
 * Helm chart that ships a CRD and a custom resource.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widget, widgetCRD } from '../../src/registry/crd/testing/widget-crd.ts';
import { helm } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { kubectlOn } from './crd-kubectl.ts';

let wharf: Wharf;
const scratch = mkdtempSync(join(tmpdir(), 'wharf-crd-e2e-'));
beforeAll(async () => {
  wharf = await startWharf({ nodes: 0 });
  const result = await k('apply', '-f', '-', { input: JSON.stringify(widgetCRD()) });
  expect(result.code, result.stderr).toBe(0);
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  expect(await wharf?.stop()).toBe(0);
});

const { k, ok } = kubectlOn(() => wharf);
const manifest = (name: string, spec: Record<string, unknown> = {}) =>
  JSON.stringify({ ...widget(name, spec), metadata: { name, namespace: 'default' } });

describe('kubectl 1.35', () => {
  it('waits for Established and discovers the kind by short name and category', async () => {
    await ok('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s');
    const resources = await ok('api-resources', '--api-group=example.com');
    expect(resources).toMatch(/widgets\s+wdg\s+example.com\/v1\s+true\s+Widget/);
    await ok('create', '-f', '-', { input: manifest('w0', { replicas: 2 }) });
    expect(await ok('get', 'all')).toMatch(/widget.example.com\/w0/);
    const table = await ok('get', 'wdg');
    expect(table).toMatch(/^NAME\s+SIZE\s+REPLICAS\s+AGE\n/);
    expect(table).toMatch(/w0\s+small\s+2\s+\d+s/);
    expect(await ok('get', 'widgets.v1beta1.example.com', 'w0', '-o', 'jsonpath={.apiVersion}')).toBe(
      'example.com/v1beta1',
    );
  });

  it('explains the schema from the published OpenAPI', async () => {
    const out = await ok('explain', 'widgets.spec');
    expect(out).toMatch(/KIND:\s+Widget/);
    expect(out).toMatch(/replicas\s+<integer>/);
    expect(out).toMatch(/size\s+<string> -required-/);
  });

  it('reports validation failures worded like Kubernetes', async () => {
    // v1beta1 has no scale subresource, whose own replicas check would add a second cause.
    const beta = JSON.stringify({ ...widget('w1', { replicas: -1 }, 'v1beta1'), metadata: { name: 'w1' } });
    const result = await k('create', '-f', '-', { input: beta });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The Widget "w1" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0\n',
    );
    const scaled = await k('create', '-f', '-', { input: manifest('w1', { replicas: -1 }) });
    // kubectl lists several causes one per line.
    expect(scaled.stderr).toContain(
      'The Widget "w1" is invalid: \n* spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0\n* .spec.replicas: Invalid value: -1: should be a non-negative integer\n',
    );
    const unknown = await k('create', '-f', '-', { input: manifest('w2', { bogus: true }) });
    expect(unknown.stderr).toContain('unknown field "spec.bogus"');
  });

  it('patches (merge and JSON; strategic refused), scales and applies server-side', async () => {
    await ok('create', '-f', '-', { input: manifest('w3') });
    await ok('patch', 'widget', 'w3', '--type=merge', '-p', '{"spec":{"color":"green"}}');
    await ok('patch', 'widget', 'w3', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]');
    const strategic = await k('patch', 'widget', 'w3', '-p', '{"spec":{"color":"red"}}');
    expect(strategic.code).toBe(1);
    expect(strategic.stderr).toContain(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    await ok('scale', 'widget', 'w3', '--replicas=5');
    expect(await ok('get', 'widget', 'w3', '-o', 'jsonpath={.spec.replicas} {.spec.color}')).toBe('5 green');
    const applied = await ok('apply', '--server-side', '-f', '-', {
      input: manifest('w3', { ports: [{ name: 'http', port: 80 }] }),
    });
    expect(applied).toContain('widget.example.com/w3 serverside-applied');
    const cel = await k('patch', 'widget', 'w3', '--type=merge', '-p', '{"spec":{"size":"large"}}');
    expect(cel.stderr).toContain('The Widget "w3" is invalid: spec: Invalid value: "object": size is immutable');
  });

  it('deleting the CRD removes its objects', async () => {
    const other = widgetCRD('example.com', 'Gizmo', 'gizmos');
    await ok('apply', '-f', '-', { input: JSON.stringify(other) });
    await ok('wait', '--for=condition=Established', 'crd/gizmos.example.com', '--timeout=10s');
    await ok('create', '-f', '-', {
      input: JSON.stringify({
        apiVersion: 'example.com/v1',
        kind: 'Gizmo',
        metadata: { name: 'g', namespace: 'default' },
        spec: { size: 'small' },
      }),
    });
    await ok('delete', 'crd', 'gizmos.example.com', '--timeout=20s');
    const after = await k('get', 'crd', 'gizmos.example.com');
    expect(after.stderr).toContain('NotFound');
  });
});

describe('@kubernetes/client-node CustomObjectsApi', () => {
  const api = () => {
    const config = new KubeConfig();
    config.loadFromFile(wharf.kubeconfig);
    return config.makeApiClient(CustomObjectsApi);
  };
  const at = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };

  it('creates, reads, lists, patches, updates status and deletes', async () => {
    const custom = api();
    const created = (await custom.createNamespacedCustomObject({ ...at, body: widget('c1') })) as { spec: object };
    expect(created.spec).toEqual({ size: 'small', replicas: 1, maxReplicas: 10, color: 'blue' });
    const list = (await custom.listNamespacedCustomObject(at)) as {
      kind: string;
      items: { metadata: { name: string } }[];
    };
    expect(list.kind).toBe('WidgetList');
    expect(list.items.map((i) => i.metadata.name)).toContain('c1');
    await custom.patchNamespacedCustomObject(
      { ...at, name: 'c1', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const current = (await custom.getNamespacedCustomObject({ ...at, name: 'c1' })) as {
      spec: { replicas: number };
      metadata: object;
    };
    expect(current.spec.replicas).toBe(3);
    await custom.replaceNamespacedCustomObjectStatus({
      ...at,
      name: 'c1',
      body: { ...current, status: { phase: 'Running' } },
    });
    const status = (await custom.getNamespacedCustomObjectStatus({ ...at, name: 'c1' })) as {
      status: { phase: string };
    };
    expect(status.status.phase).toBe('Running');
    const bad = await custom
      .createNamespacedCustomObject({ ...at, body: widget('c2', { replicas: -1 }) })
      .catch((e: { code: number; body: string }) => e);
    expect((bad as { code: number }).code).toBe(422);
    await custom.deleteNamespacedCustomObject({ ...at, name: 'c1' });
    const gone = await custom.getNamespacedCustomObject({ ...at, name: 'c1' }).catch((e: { code: number }) => e);
    expect((gone as { code: number }).code).toBe(404);
  });
});

describe('helm 4', () => {
  it('installs a chart that ships a CRD and a custom resource', async () => {
    const chart = join(scratch, 'chart');
    mkdirSync(join(chart, 'crds'), { recursive: true });
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: sprockets\nversion: 0.1.0\n');
    writeFileSync(
      join(chart, 'crds', 'sprockets.yaml'),
      JSON.stringify(widgetCRD('helm.example.com', 'Sprocket', 'sprockets')),
    );
    writeFileSync(
      join(chart, 'templates', 'sprocket.yaml'),
      'apiVersion: helm.example.com/v1\nkind: Sprocket\nmetadata:\n  name: first\nspec:\n  size: medium\n  replicas: 2\n',
    );
    const installed = await helm(
      ['install', 'sprockets', chart, '--namespace', 'default', '--wait', '--timeout', '30s'],
      {
        kubeconfig: wharf.kubeconfig,
        timeoutMs: 60_000,
      },
    );
    expect(installed.code, installed.stderr).toBe(0);
    expect(await ok('get', 'sprockets', 'first', '-o', 'jsonpath={.spec.size} {.spec.color}')).toBe('medium blue');
  });
});
