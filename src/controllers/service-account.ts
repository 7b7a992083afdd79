/**
 * Per-namespace defaults every cluster has: the `default` ServiceAccount (kube-controller-manager's
 * serviceaccounts-controller) and the `kube-root-ca.crt` ConfigMap with the cluster CA
 * (root-ca-cert-publisher). Both are put back when deleted, and the ConfigMap when edited.
 */
import { configMaps, namespaces, serviceAccounts } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import { isStatusError } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import type { Clock } from './runtime/clock.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

export const defaultServiceAccountName = 'default';
export const rootCaConfigMapName = 'kube-root-ca.crt';
/** The annotation the root-ca-cert-publisher puts on the ConfigMap (text as a real cluster shows it). */
const descriptionAnnotation = 'kubernetes.io/description';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export function serviceAccountController(d: {
  client: KubeClient;
  informers: Informers;
  /** The cluster CA certificate, PEM; becomes `ca.crt` of kube-root-ca.crt. */
  caPem: string;
  clock?: Clock;
}): Controller {
  const queue = createWorkQueue(d.clock ? { clock: d.clock } : {});
  const namespaceInformer = d.informers.informerFor(namespaces);
  const accountInformer = d.informers.informerFor(serviceAccounts, {
    fieldSelector: `metadata.name=${defaultServiceAccountName}`,
  });
  const configMapInformer = d.informers.informerFor<ConfigMap>(configMaps, {
    fieldSelector: `metadata.name=${rootCaConfigMapName}`,
  });
  const enqueueNamespace = (ns: Readonly<KubeObject>) => queue.add(ns.metadata.name ?? '');
  const enqueueOwner = (o: Readonly<KubeObject>) => queue.add(o.metadata.namespace ?? '');
  namespaceInformer.addHandlers({ onAdd: enqueueNamespace, onUpdate: (_old, ns) => enqueueNamespace(ns) });
  accountInformer.addHandlers({ onDelete: enqueueOwner });
  configMapInformer.addHandlers({ onUpdate: (_old, cm) => enqueueOwner(cm), onDelete: enqueueOwner });

  async function reconcile(namespace: string) {
    const ns = namespaceInformer.getByName(undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    if (!accountInformer.getByName(namespace, defaultServiceAccountName)) {
      await createIgnoringRaces(d.client, namespace, () =>
        d.client.resource(serviceAccounts).create({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: defaultServiceAccountName, namespace },
        }),
      );
    }
    const cm = configMapInformer.getByName(namespace, rootCaConfigMapName);
    if (!cm) {
      await createIgnoringRaces(d.client, namespace, () =>
        d.client.resource<ConfigMap>(configMaps).create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: rootCaConfigMapName, namespace, annotations: { [descriptionAnnotation]: description } },
          data: { 'ca.crt': d.caPem },
        }),
      );
    } else if (!isCurrent(cm, d.caPem)) {
      // Other keys and labels are not ours to keep: the publisher owns this ConfigMap's data.
      await d.client.resource<ConfigMap>(configMaps).update({
        ...cm,
        metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, [descriptionAnnotation]: description } },
        data: { 'ca.crt': d.caPem },
      });
    }
  }
  return { name: 'serviceaccount', queue, workers: 2, reconcile };
}

function isCurrent(cm: Readonly<ConfigMap>, caPem: string): boolean {
  const keys = Object.keys(cm.data ?? {});
  return (
    keys.length === 1 &&
    cm.data?.['ca.crt'] === caPem &&
    cm.metadata.annotations?.[descriptionAnnotation] === description
  );
}

/**
 * The cache may lag behind our own creates (AlreadyExists), and a namespace may start terminating
 * between the cache read and the create (the server refuses new content then): both are fine.
 */
async function createIgnoringRaces(client: KubeClient, namespace: string, create: () => Promise<unknown>) {
  try {
    await create();
  } catch (err) {
    if (isStatusError(err) && err.reason === 'AlreadyExists') return;
    if (isStatusError(err) && (err.code === 403 || err.code === 404) && (await isGoneOrTerminating(client, namespace)))
      return;
    throw err;
  }
}

async function isGoneOrTerminating(client: KubeClient, namespace: string): Promise<boolean> {
  try {
    return Boolean((await client.resource(namespaces).get(namespace)).metadata.deletionTimestamp);
  } catch (err) {
    if (isStatusError(err) && err.code === 404) return true;
    throw err;
  }
}
