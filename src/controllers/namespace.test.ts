import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalClient } from '../client/local-client.ts';
import { configMaps, namespaces, secrets } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { createRegistry } from '../registry/index.ts';
import { createEmbeddedStore } from '../storage/embedded/index.ts';
import type { Store } from '../storage/types.ts';
import { deletionConditions, type Namespace, reconcileNamespace } from './namespace.ts';
import { createFakeClock } from './runtime/fake-clock.ts';

let dataDir: string;
let store: Store;
let client: KubeClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-namespace-controller-'));
  store = await createEmbeddedStore({ dataDir });
  client = createLocalClient(await createRegistry({ store }), { username: 'system:admin', groups: ['system:masters'] });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const clock = createFakeClock(Date.parse('2026-03-04T05:06:07Z'));

async function namespaceWith(name: string, contents: { configMaps?: Array<{ name: string; finalizers?: string[] }> }) {
  await client.resource(namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const cm of contents.configMaps ?? []) {
    const metadata: Namespace['metadata'] = { name: cm.name, namespace: name };
    if (cm.finalizers) metadata.finalizers = cm.finalizers;
    await client.resource(configMaps).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata });
  }
  await client
    .resource(secrets)
    .create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: name }, data: {} });
}

describe('namespace controller', () => {
  it('leaves a namespace that is not being deleted alone', async () => {
    await namespaceWith('alive', { configMaps: [{ name: 'a' }] });
    expect(await reconcileNamespace(client, clock, 'alive')).toBeUndefined();
    expect((await client.resource(configMaps).list({ namespace: 'alive' })).items).toHaveLength(1);
  });

  it('ignores a namespace that no longer exists', async () => {
    expect(await reconcileNamespace(client, clock, 'never-was')).toBeUndefined();
  });

  it('deletes all content, then finalizes so the namespace goes away', async () => {
    await namespaceWith('doomed', { configMaps: [{ name: 'a' }, { name: 'b' }] });
    await client.resource(namespaces).delete('doomed');
    expect(await reconcileNamespace(client, clock, 'doomed')).toBeUndefined();
    expect((await client.resource(configMaps).list({ namespace: 'doomed' })).items).toEqual([]);
    expect((await client.resource(secrets).list({ namespace: 'doomed' })).items).toEqual([]);
    await expect(client.resource(namespaces).get('doomed')).rejects.toMatchObject({ code: 404 });
  });

  it('reports remaining content and finalizers as Kubernetes does, and waits for them', async () => {
    await namespaceWith('held', { configMaps: [{ name: 'kept', finalizers: ['example.com/hold'] }, { name: 'gone' }] });
    await client.resource(namespaces).delete('held');
    expect(await reconcileNamespace(client, clock, 'held')).toEqual({ requeue: true });

    const ns = await client.resource<Namespace>(namespaces).get('held');
    expect(ns.status?.phase).toBe('Terminating');
    const at = '2026-03-04T05:06:07Z';
    expect(ns.status?.conditions).toEqual([
      {
        type: 'NamespaceDeletionDiscoveryFailure',
        status: 'False',
        lastTransitionTime: at,
        reason: 'ResourcesDiscovered',
        message: 'All resources successfully discovered',
      },
      {
        type: 'NamespaceDeletionGroupVersionParsingFailure',
        status: 'False',
        lastTransitionTime: at,
        reason: 'ParsedGroupVersions',
        message: 'All legacy kube types successfully parsed',
      },
      {
        type: 'NamespaceDeletionContentFailure',
        status: 'False',
        lastTransitionTime: at,
        reason: 'ContentDeleted',
        message: 'All content successfully deleted, may be waiting on finalization',
      },
      {
        type: 'NamespaceContentRemaining',
        status: 'True',
        lastTransitionTime: at,
        reason: 'SomeResourcesRemain',
        message: 'Some resources are remaining: configmaps. has 1 resource instances',
      },
      {
        type: 'NamespaceFinalizersRemaining',
        status: 'True',
        lastTransitionTime: at,
        reason: 'SomeFinalizersRemain',
        message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
      },
    ]);
    expect((ns.spec?.finalizers ?? []).includes('kubernetes')).toBe(true);

    const kept = await client.resource(configMaps).get('kept', 'held');
    await client.resource(configMaps).update({ ...kept, metadata: { ...kept.metadata, finalizers: [] } });
    await clock.advance(60_000);
    expect(await reconcileNamespace(client, clock, 'held')).toBeUndefined();
    await expect(client.resource(namespaces).get('held')).rejects.toMatchObject({ code: 404 });
  });
});

describe('deletionConditions', () => {
  const empty = { discoveryFailures: [], deleteFailures: [], remaining: new Map(), finalizers: new Map() };

  it('reports discovery and deletion failures with their counts', () => {
    const conditions = deletionConditions(
      {
        ...empty,
        discoveryFailures: ['metrics.k8s.io/v1beta1: the server is currently unable to handle the request'],
        deleteFailures: ['widgets.example.com: boom'],
      },
      [],
      'T',
    );
    expect(conditions[0]).toMatchObject({
      status: 'True',
      reason: 'DiscoveryFailed',
      message:
        'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request',
    });
    expect(conditions[2]).toMatchObject({
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 1 remaining: widgets.example.com: boom',
    });
  });

  it('lists remaining resources and finalizers sorted, and keeps transition times while status holds', () => {
    const remaining = new Map([
      ['pods.', 2],
      ['deployments.apps', 1],
    ]);
    const finalizers = new Map([
      ['z/f', 1],
      ['a/f', 3],
    ]);
    const first = deletionConditions({ ...empty, remaining, finalizers }, [], 'T1');
    expect(first[3]?.message).toBe(
      'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances',
    );
    expect(first[4]?.message).toBe(
      'Some content in the namespace has finalizers remaining: a/f in 3 resource instances, z/f in 1 resource instances',
    );
    const second = deletionConditions({ ...empty, remaining, finalizers: new Map() }, first, 'T2');
    expect(second[3]?.lastTransitionTime).toBe('T1');
    expect(second[4]).toMatchObject({ status: 'False', lastTransitionTime: 'T2' });
  });
});
