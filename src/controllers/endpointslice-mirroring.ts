/**
 * The EndpointSlice mirroring controller (kube-controller-manager's endpointslicemirroring
 * controller): an Endpoints object written by hand for a Service without a selector is copied into
 * EndpointSlices managed by `endpointslicemirroring-controller.k8s.io`, so clients that only read
 * slices (kube-proxy, DNS) see it. One slice per distinct port set and address family, owned by the
 * Endpoints; mirrored slices go when the Endpoints goes, when the Service goes or gains a selector,
 * and for Endpoints labelled `endpointslice.kubernetes.io/skip-mirror=true` (the API server's own).
 */
import { endpoints as endpointsRef, services as servicesRef } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import type { KubeObject } from '../types/meta.ts';
import { type EndpointAddress, type Endpoints, ignoreNotFound, type Service } from './endpoints.ts';
import {
  type EndpointSlice,
  endpointSlicesRef,
  managedByLabel,
  type SlicePort,
  sameJson,
  serviceNameLabel,
  sliceWriteTracker,
} from './endpointslice.ts';
import { keyOf } from './runtime/cache.ts';
import { type Clock, realClock } from './runtime/clock.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

export const mirroringManagedBy = 'endpointslicemirroring-controller.k8s.io';
export const skipMirrorLabel = 'endpointslice.kubernetes.io/skip-mirror';
/** kube-controller-manager's --mirroring-max-endpoints-per-subset default. */
export const maxMirroredEndpointsPerSubset = 1000;
/** Annotations of the Endpoints that describe the Endpoints object itself and are not copied. */
const uncopiedAnnotations = new Set([
  'endpoints.kubernetes.io/last-change-trigger-time',
  'kubectl.kubernetes.io/last-applied-configuration',
]);

interface MirroredEndpoint {
  addresses: string[];
  conditions: { ready: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef?: EndpointAddress['targetRef'];
}

export interface MirroredSlice {
  addressType: 'IPv4' | 'IPv6';
  ports: SlicePort[];
  endpoints: MirroredEndpoint[];
}

function toEndpoint(address: Readonly<EndpointAddress>, ready: boolean): MirroredEndpoint {
  return {
    addresses: [address.ip],
    conditions: { ready },
    ...(address.hostname ? { hostname: address.hostname } : {}),
    ...(address.nodeName ? { nodeName: address.nodeName } : {}),
    ...(address.targetRef ? { targetRef: address.targetRef } : {}),
  };
}

/** The slices an Endpoints object mirrors into: subsets with the same ports share one per address family. */
export function mirroredSlices(endpoints: Readonly<Endpoints>): MirroredSlice[] {
  const groups = new Map<string, MirroredSlice>();
  for (const subset of endpoints.subsets ?? []) {
    const ports: SlicePort[] = (subset.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const addresses = [
      ...(subset.addresses ?? []).map((a) => toEndpoint(a, true)),
      ...(subset.notReadyAddresses ?? []).map((a) => toEndpoint(a, false)),
    ].slice(0, maxMirroredEndpointsPerSubset);
    for (const endpoint of addresses) {
      const addressType = (endpoint.addresses[0] ?? '').includes(':') ? 'IPv6' : 'IPv4';
      const id = `${addressType} ${JSON.stringify(ports)}`;
      const group = groups.get(id) ?? { addressType, ports, endpoints: [] };
      groups.set(id, group);
      group.endpoints.push(endpoint);
    }
  }
  return [...groups.values()];
}

export function endpointSliceMirroringController(d: {
  client: KubeClient;
  informers: Informers;
  clock?: Clock;
}): Controller & { reconcile(key: string): Promise<void> } {
  const queue = createWorkQueue({ clock: d.clock ?? realClock });
  const endpointsInformer = d.informers.informerFor<Endpoints>(endpointsRef);
  const services = d.informers.informerFor<Service>(servicesRef);
  const sliceInformer = d.informers.informerFor(endpointSlicesRef);
  const mirroredFrom = (s: Readonly<EndpointSlice>) => {
    const labels = s.metadata.labels ?? {};
    const service = labels[serviceNameLabel];
    return service && labels[managedByLabel] === mirroringManagedBy ? [`${s.metadata.namespace}/${service}`] : [];
  };
  sliceInformer.addIndex('mirrored-from', mirroredFrom);
  const enqueue = (o: Readonly<KubeObject>) => queue.add(keyOf(o));
  for (const informer of [endpointsInformer, services]) {
    informer.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  }
  // A mirrored slice changed or removed by someone else is put right.
  const enqueueSource = (s: Readonly<EndpointSlice>) => {
    for (const key of mirroredFrom(s)) queue.add(key);
  };
  sliceInformer.addHandlers({ onUpdate: (_o, s) => enqueueSource(s), onDelete: enqueueSource });
  const api = d.client.resource(endpointSlicesRef);
  const { isCacheBehind, remember } = sliceWriteTracker(sliceInformer);

  async function reconcile(key: string): Promise<void> {
    if (isCacheBehind(key)) return queue.addAfter(key, 50);
    const source = endpointsInformer.get(key);
    const service = services.get(key);
    const selector = service?.spec?.selector;
    const mirror =
      source &&
      service &&
      (!selector || Object.keys(selector).length === 0) &&
      source.metadata.labels?.[skipMirrorLabel] !== 'true';
    const unused = [...sliceInformer.byIndex('mirrored-from', key)].sort((a, b) =>
      (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1,
    );
    if (mirror) {
      const labels: Record<string, string> = {
        ...source.metadata.labels,
        [serviceNameLabel]: source.metadata.name ?? '',
        [managedByLabel]: mirroringManagedBy,
      };
      const annotations = Object.fromEntries(
        Object.entries(source.metadata.annotations ?? {}).filter(([k]) => !uncopiedAnnotations.has(k)),
      );
      for (const want of mirroredSlices(source)) {
        const fits = (s: Readonly<EndpointSlice>) =>
          s.addressType === want.addressType && sameJson(s.ports ?? [], want.ports);
        const index = unused.findIndex(fits);
        const current = index >= 0 ? unused.splice(index, 1)[0] : undefined;
        if (
          current &&
          sameJson(current.endpoints ?? [], want.endpoints) &&
          sameJson(current.metadata.labels ?? {}, labels) &&
          sameJson(current.metadata.annotations ?? {}, annotations)
        )
          continue;
        const body = {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: current
            ? { ...current.metadata, labels, annotations }
            : {
                generateName: `${source.metadata.name}-`,
                namespace: source.metadata.namespace ?? '',
                labels,
                annotations,
                ownerReferences: [
                  {
                    apiVersion: 'v1',
                    kind: 'Endpoints',
                    name: source.metadata.name ?? '',
                    uid: source.metadata.uid ?? '',
                    controller: true,
                    blockOwnerDeletion: true,
                  },
                ],
              },
          addressType: want.addressType,
          endpoints: want.endpoints,
          ports: want.ports,
        } as unknown as EndpointSlice;
        const saved = current ? await api.update(body) : await api.create(body);
        remember(key, saved.metadata.name ?? '', Number(saved.metadata.resourceVersion ?? 0));
      }
    }
    for (const extra of unused) {
      await api.delete(extra.metadata.name ?? '', extra.metadata.namespace).catch(ignoreNotFound);
      remember(key, extra.metadata.name ?? '', 'deleted');
    }
  }
  return { name: 'endpointslice-mirroring', queue, workers: 5, reconcile };
}
