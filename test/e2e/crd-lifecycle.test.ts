/**
 * Custom resources over their lifetime through real kubectl (the oldest and newest supported) and
 * client-node: /status writes validated, defaulted and pruned against the status schema, the main
 * resource ignoring status, deletecollection, and a CRD deletion that waits for objects held by
 * their own finalizers while refusing new ones.
 */
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widget, widgetCRD } from '../../src/registry/crd/testing/widget-crd.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';
import { type KubectlArg, kubectlOn } from './crd-kubectl.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 0 });
  await ok('1.35', 'apply', '-f', '-', { input: JSON.stringify(widgetCRD()) });
  await ok('1.35', 'wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s');
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const on = { '1.27': kubectlOn(() => wharf, '1.27'), '1.35': kubectlOn(() => wharf, '1.35') };
const k = (version: KubectlVersion, ...args: KubectlArg[]) => on[version as '1.27' | '1.35'].k(...args);
const ok = (version: KubectlVersion, ...args: KubectlArg[]) => on[version as '1.27' | '1.35'].ok(...args);
const manifest = (name: string, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...widget(name, spec), metadata: { name, namespace: 'default', ...extra } });

describe.each(['1.27', '1.35'] as const)('kubectl %s --subresource=status', (version) => {
  const name = `s${version.replace('.', '')}`;
  const patchStatus = (body: object) =>
    k(version, 'patch', 'widget', name, '--subresource=status', '--type=merge', '-p', JSON.stringify(body));

  it('writes status only, pruned and defaulted, and refuses what the status schema and rules refuse', async () => {
    await ok(version, 'create', '-f', '-', { input: manifest(name, { replicas: 2 }) });
    const written = await patchStatus({ spec: { replicas: 7 }, status: { replicas: 2, readyReplicas: 1, bogus: 1 } });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toContain('unknown field "status.bogus"');
    expect(await ok(version, 'get', 'widget', name, '-o', 'jsonpath={.spec.replicas} {.status}')).toBe(
      '2 {"phase":"Pending","readyReplicas":1,"replicas":2}',
    );
    const wide = await ok(version, 'get', 'widget', name, '-o', 'wide');
    expect(wide).toMatch(/^NAME\s+SIZE\s+REPLICAS\s+PHASE\s+AGE\n/);
    expect(wide).toMatch(new RegExp(`${name}\\s+small\\s+2\\s+Pending\\s+\\d+s`));

    const negative = await patchStatus({ status: { readyReplicas: -1 } });
    expect(negative.code).toBe(1);
    expect(negative.stderr).toContain(
      `The Widget "${name}" is invalid: status.readyReplicas: Invalid value: -1: status.readyReplicas in body should be greater than or equal to 0`,
    );
    const rule = await patchStatus({ status: { readyReplicas: 3 } });
    expect(rule.stderr).toContain(
      `The Widget "${name}" is invalid: status: Invalid value: "object": readyReplicas must not exceed replicas`,
    );
    expect((await patchStatus({ status: { phase: 'Running' } })).code).toBe(0);
    const back = await patchStatus({ status: { phase: 'Pending' } });
    expect(back.stderr).toContain('status.phase: Invalid value: "string": phase cannot go back to Pending');
    const scale = await patchStatus({ status: { replicas: -1, readyReplicas: null } });
    expect(scale.stderr).toContain('.status.replicas: Invalid value: -1: should be a non-negative integer');
  });

  it('explains the status schema', async () => {
    const out = await ok(version, 'explain', 'widgets.status');
    expect(out).toMatch(/KIND:\s+Widget/);
    expect(out).toMatch(/readyReplicas\s+<integer>/);
    expect(out).toMatch(/phase\s+<string>/);
  });

  it('a main-resource patch leaves status alone', async () => {
    await ok(
      version,
      'patch',
      'widget',
      name,
      '--type=merge',
      '-p',
      '{"spec":{"replicas":3},"status":{"phase":"Failed"}}',
    );
    expect(await ok(version, 'get', 'widget', name, '-o', 'jsonpath={.spec.replicas} {.status.phase}')).toBe(
      '3 Running',
    );
  });
});

describe('kubectl 1.35', () => {
  it('deletes by label selector', async () => {
    for (const name of ['dc1', 'dc2']) {
      await ok('1.35', 'create', '-f', '-', { input: manifest(name, {}, { labels: { batch: 'dc' } }) });
    }
    const out = await ok('1.35', 'delete', 'widgets', '-l', 'batch=dc');
    expect(out).toContain('widget.example.com "dc1" deleted');
    expect(out).toContain('widget.example.com "dc2" deleted');
    expect(await ok('1.35', 'get', 'widgets', '-l', 'batch=dc', '-o', 'name')).toBe('');
  });
});

describe('@kubernetes/client-node CustomObjectsApi', () => {
  const at = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };
  const api = () => {
    const config = new KubeConfig();
    config.loadFromFile(wharf.kubeconfig);
    return config.makeApiClient(CustomObjectsApi);
  };

  it('patches status, reads and writes scale, and deletes a collection', async () => {
    const custom = api();
    await custom.createNamespacedCustomObject({
      ...at,
      body: { ...widget('n1'), metadata: { name: 'n1', labels: { set: 'n' } } },
    });
    const patched = (await custom.patchNamespacedCustomObjectStatus(
      { ...at, name: 'n1', body: { status: { replicas: 1, selector: 'set=n' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as { status: object };
    expect(patched.status).toEqual({ replicas: 1, selector: 'set=n', phase: 'Pending' });
    const refused = await custom
      .patchNamespacedCustomObjectStatus(
        { ...at, name: 'n1', body: { status: { phase: 'Done' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch((e: { code: number; body: string }) => e);
    expect((refused as { code: number }).code).toBe(422);
    expect((refused as { body: string }).body).toContain('status.phase: Unsupported value: \\"Done\\"');
    const scale = (await custom.getNamespacedCustomObjectScale({ ...at, name: 'n1' })) as {
      spec: { replicas: number };
      status: { replicas: number; selector: string };
    };
    expect(scale).toMatchObject({ spec: { replicas: 1 }, status: { replicas: 1, selector: 'set=n' } });
    await custom.patchNamespacedCustomObjectScale(
      { ...at, name: 'n1', body: { spec: { replicas: 4 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const current = (await custom.getNamespacedCustomObject({ ...at, name: 'n1' })) as { spec: { replicas: number } };
    expect(current.spec.replicas).toBe(4);
    await custom.deleteCollectionNamespacedCustomObject({ ...at, labelSelector: 'set=n' });
    const list = (await custom.listNamespacedCustomObject({ ...at, labelSelector: 'set=n' })) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });
});

describe('deleting a CRD whose objects hold finalizers (kubectl 1.35)', () => {
  it('stays Terminating, refuses new objects with 405 and goes when the last object does', async () => {
    const crd = widgetCRD('example.com', 'Gizmo', 'gizmos');
    await ok('1.35', 'apply', '-f', '-', { input: JSON.stringify(crd) });
    await ok('1.35', 'wait', '--for=condition=Established', 'crd/gizmos.example.com', '--timeout=10s');
    const gizmo = (name: string, finalizers?: string[]) =>
      JSON.stringify({
        apiVersion: 'example.com/v1',
        kind: 'Gizmo',
        metadata: { name, namespace: 'default', ...(finalizers ? { finalizers } : {}) },
        spec: { size: 'small' },
      });
    await ok('1.35', 'create', '-f', '-', { input: gizmo('held', ['example.com/hold']) });
    await ok('1.35', 'create', '-f', '-', { input: gizmo('free') });
    expect(await ok('1.35', 'delete', 'crd', 'gizmos.example.com', '--wait=false')).toContain(
      'customresourcedefinition.apiextensions.k8s.io "gizmos.example.com" deleted',
    );
    await ok(
      '1.35',
      'wait',
      '--for=jsonpath={.status.conditions[?(@.type=="Terminating")].reason}=InstanceDeletionInProgress',
      'crd/gizmos.example.com',
      '--timeout=10s',
    );
    expect(await ok('1.35', 'get', 'gizmos', '-o', 'name')).toBe('gizmo.example.com/held\n');
    expect(await ok('1.35', 'get', 'gizmo', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}')).not.toBe('');
    const late = await k('1.35', 'create', '-f', '-', { input: gizmo('late') });
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('(MethodNotAllowed)');
    expect(late.stderr).toContain('create not allowed while custom resource definition is terminating');

    await ok('1.35', 'patch', 'gizmo', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
    await ok('1.35', 'wait', '--for=delete', 'crd/gizmos.example.com', '--timeout=10s');
    const gone = await k('1.35', 'get', 'crd', 'gizmos.example.com');
    expect(gone.stderr).toContain('NotFound');
  });
});
