import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { namespaces, replicaSets, replicationControllers, services, statefulSets } from '../client/resources.ts';
import { createInformers } from '../controllers/runtime/informer-factory.ts';
import { createDefaultSpreadSelectors, type DefaultSpreadSelectorSource } from './default-spread-selector.ts';
import { startTestApi, type TestApi } from './testing/api.ts';
import type { Pod } from './types.ts';

const template = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

function podOwnedBy(kind: string, apiVersion: string, name: string, labels: Record<string, string>): Pod {
  return {
    metadata: {
      name: `${name}-x`,
      namespace: 'default',
      labels,
      ownerReferences: [{ apiVersion, kind, name, uid: 'u', controller: true }],
    },
    spec: { containers: [{ name: 'c' }] },
  };
}

describe('the default spread selector', () => {
  let api: TestApi;
  let source: DefaultSpreadSelectorSource;
  let abort: AbortController;
  beforeEach(async () => {
    abort = new AbortController();
    api = await startTestApi();
    await api.client.resource(namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    const create = (ref: Parameters<typeof api.client.resource>[0], object: Record<string, unknown>) =>
      api.client.resource(ref).create({ metadata: { namespace: 'default' }, ...object } as never);
    await create(services, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    await create(services, {
      metadata: { name: 'elsewhere', namespace: 'other' },
      spec: { selector: { tier: 'front' }, ports: [{ port: 80 }] },
    });
    await create(services, { metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    await create(replicaSets, {
      metadata: { name: 'web-1', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['a'] }] },
        template: template({ app: 'web', track: 'a' }),
      },
    });
    await create(replicationControllers, {
      metadata: { name: 'legacy', namespace: 'default' },
      spec: { selector: { app: 'legacy' }, template: template({ app: 'legacy' }) },
    });
    await create(statefulSets, {
      metadata: { name: 'db', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } }, serviceName: 'db', template: template({ app: 'db' }) },
    });
    const informers = createInformers(api.client);
    source = createDefaultSpreadSelectors(informers);
    informers.start(abort.signal);
    await source.waitForSync(abort.signal);
  });
  afterEach(async () => {
    abort.abort();
    await api.close();
  });

  it("joins the selecting Services' selectors with the controlling ReplicaSet's", () => {
    const pod = podOwnedBy('ReplicaSet', 'apps/v1', 'web-1', { app: 'web', track: 'a', 'pod-template-hash': 'x' });
    expect(source.selectorFor(pod)).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'track', operator: 'In', values: ['a'] }],
    });
  });

  it('takes the selector of a ReplicationController or a StatefulSet that controls the pod', () => {
    expect(source.selectorFor(podOwnedBy('ReplicationController', 'v1', 'legacy', { app: 'legacy' }))).toEqual({
      matchLabels: { app: 'legacy' },
    });
    expect(source.selectorFor(podOwnedBy('StatefulSet', 'apps/v1', 'db', { app: 'db' }))).toEqual({
      matchLabels: { app: 'db' },
    });
  });

  it('gives nothing to a pod that no Service or controller selects', () => {
    const loose: Pod = {
      metadata: { name: 'p', namespace: 'default', labels: { tier: 'front' } },
      spec: { containers: [] },
    };
    expect(source.selectorFor(loose)).toBeUndefined();
    // A Job is no controller that default spreading knows, and the Service in another namespace does not count.
    expect(source.selectorFor(podOwnedBy('Job', 'batch/v1', 'j', { tier: 'front' }))).toBeUndefined();
  });

  it('uses a selecting Service alone when the controller is not known', () => {
    expect(source.selectorFor(podOwnedBy('ReplicaSet', 'apps/v1', 'gone', { app: 'web' }))).toEqual({
      matchLabels: { app: 'web' },
    });
  });
});
