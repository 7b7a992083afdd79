/**
 * @kubernetes/client-node 2.x against the TLS server with the generated kubeconfig: typed list, raw
 * watch and an informer (list, then watch from the list's resourceVersion).
 */

import type { V1ConfigMap } from '@kubernetes/client-node';
import { CoreV1Api, KubeConfig, makeInformer, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWharf, type Wharf } from '../support/start-wharf.ts';

let wharf: Wharf;
let config: KubeConfig;
let core: CoreV1Api;
const namespace = 'client-node';

beforeAll(async () => {
  wharf = await startWharf();
  config = new KubeConfig();
  config.loadFromFile(wharf.kubeconfig);
  core = config.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const configMap = (name: string): V1ConfigMap => ({ metadata: { name, namespace }, data: { k: 'v' } });

/** Resolves when `predicate` holds after some event, or rejects after a generous deadline. */
function eventually<T>(subscribe: (resolve: (value: T) => void) => void, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15_000);
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('@kubernetes/client-node', () => {
  it('lists namespaces and reads the default one', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system', namespace]),
    );
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    const created = await core.readNamespace({ name: namespace });
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
  });

  it('watches config maps from a resourceVersion', async () => {
    const list = await core.listNamespacedConfigMap({ namespace });
    const events: string[] = [];
    let onWatched: (type: string) => void = () => undefined;
    const seen = eventually<string>((resolve) => {
      onWatched = resolve;
    }, 'a watch event for configmap watched');
    // watch() resolves once the response headers arrived, so the create below cannot be missed.
    const controller = await new Watch(config).watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: list.metadata?.resourceVersion ?? '0' },
      (type: string, object: V1ConfigMap) => {
        // The service-account controller may add kube-root-ca.crt to the fresh namespace meanwhile.
        if (object.metadata?.name !== 'kube-root-ca.crt') events.push(`${type} ${object.metadata?.name}`);
        if (object.metadata?.name === 'watched') onWatched(type);
      },
      () => undefined,
    );
    try {
      await core.createNamespacedConfigMap({ namespace, body: configMap('watched') });
      expect(await seen).toBe('ADDED');
      expect(events).toEqual(['ADDED watched']);
    } finally {
      controller.abort();
    }
  });

  it('keeps an informer cache in sync', async () => {
    await core.createNamespacedConfigMap({ namespace, body: configMap('before-informer') });
    const informer = makeInformer(config, `/api/v1/namespaces/${namespace}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace }),
    );
    const added = new Set<string>();
    const afterCreate = eventually<void>((resolve) => {
      informer.on('add', (object: V1ConfigMap) => {
        added.add(object.metadata?.name ?? '');
        if (added.has('after-informer')) resolve();
      });
    }, 'informer add of after-informer');
    const deleted = eventually<string>((resolve) => {
      informer.on('delete', (object: V1ConfigMap) => resolve(object.metadata?.name ?? ''));
    }, 'informer delete');
    informer.on('error', () => undefined);
    await informer.start();
    try {
      expect(informer.list(namespace).map((c) => c.metadata?.name)).toContain('before-informer');
      await core.createNamespacedConfigMap({ namespace, body: configMap('after-informer') });
      await afterCreate;
      expect(informer.get('after-informer', namespace)?.data).toEqual({ k: 'v' });
      await core.deleteNamespacedConfigMap({ namespace, name: 'before-informer' });
      expect(await deleted).toBe('before-informer');
    } finally {
      await informer.stop();
    }
  });

  it('surfaces a 404 as an ApiException with the Status body', async () => {
    const error = await core.readNamespacedConfigMap({ namespace, name: 'missing' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 404 });
    expect(JSON.parse((error as { body: string }).body)).toMatchObject({ reason: 'NotFound', code: 404 });
  });
});
