/**
 * The EndpointSlice controller (kube-controller-manager's endpointslice controller): for every
 * Service with a selector, EndpointSlices named `<service>-<random>` owned by the Service, one per
 * set of resolved ports and at most 100 endpoints each, with ready/serving/terminating conditions,
 * nodeName, zone and targetRef. A service without endpoints keeps one empty placeholder slice. Pod
 * selection and port resolution are the Endpoints controller's (endpoints.ts), so both agree.
 */
import { endpointSlices, nodes as nodesRef } from '../client/resources.ts';
import type { KubeClient, ResourceRef } from '../client/types.ts';
import type { Node } from '../nodes/api-types.ts';
import type { KubeObject } from '../types/meta.ts';
import {
  headlessLabel,
  hostnameFor,
  ignoreNotFound,
  isHeadless,
  isPodReady,
  lastChangeTriggerTime,
  type Pod,
  podReference,
  resolvePort,
  type Service,
  selectedPods,
  shouldPodBeInEndpoints,
  triggerTime,
  watchServicesAndPods,
} from './endpoints.ts';
import { splitKey } from './runtime/cache.ts';
import { type Clock, realClock } from './runtime/clock.ts';
import type { Informer } from './runtime/informer.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue } from './runtime/work-queue.ts';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const managedBy = 'endpointslice-controller.k8s.io';
/** kube-controller-manager's --max-endpoints-per-slice default. */
export const maxEndpointsPerSlice = 100;

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef: { kind: string; namespace: string; name: string; uid: string };
}

export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: SliceEndpoint[] | null;
  ports: SlicePort[] | null;
}

export interface DesiredSlice {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export const endpointSlicesRef = endpointSlices as ResourceRef<EndpointSlice>;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** endpointslice utils podToEndpoint: `ready` is never true for a terminating pod unless the service publishes not-ready addresses. */
export function toEndpoint(
  service: Readonly<Service>,
  pod: Readonly<Pod>,
  zoneOf: (node: string) => string | undefined,
): SliceEndpoint {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const serving = publishNotReady || isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  const hostname = hostnameFor(service, pod);
  const nodeName = pod.spec.nodeName;
  const zone = nodeName ? zoneOf(nodeName) : undefined;
  return {
    addresses: [pod.status?.podIP ?? ''],
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    ...(hostname ? { hostname } : {}),
    ...(nodeName ? { nodeName } : {}),
    ...(zone ? { zone } : {}),
    targetRef: podReference(pod),
  };
}

/** The slices a service should have: endpoints grouped by resolved port set, then cut into chunks. */
export function desiredSlices(
  service: Readonly<Service>,
  pods: readonly Readonly<Pod>[],
  zoneOf: (node: string) => string | undefined,
  maxPerSlice = maxEndpointsPerSlice,
): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = (service.spec?.ports ?? []).flatMap((sp): SlicePort[] => {
      const port = resolvePort(sp, pod);
      if (port === undefined) return [];
      return [
        {
          name: sp.name ?? '',
          port,
          protocol: sp.protocol ?? 'TCP',
          ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
        },
      ];
    });
    ports.sort((a, b) => byText(a.name, b.name) || a.port - b.port);
    const id = JSON.stringify(ports);
    const group = groups.get(id) ?? { ports, endpoints: [] };
    groups.set(id, group);
    group.endpoints.push(toEndpoint(service, pod, zoneOf));
  }
  const slices: DesiredSlice[] = [];
  for (const g of groups.values()) {
    g.endpoints.sort((a, b) => byText(a.targetRef.name, b.targetRef.name));
    for (let i = 0; i < g.endpoints.length; i += maxPerSlice) {
      slices.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + maxPerSlice) });
    }
  }
  return slices;
}

export function endpointSliceController(d: { client: KubeClient; informers: Informers; clock?: Clock }): Controller & {
  reconcile(key: string): Promise<void>;
} {
  const clock = d.clock ?? realClock;
  const queue = createWorkQueue({ clock });
  const { services, pods } = watchServicesAndPods(d.informers, queue);
  const nodeInformer = d.informers.informerFor<Node>(nodesRef);
  const sliceInformer = d.informers.informerFor(endpointSlicesRef);
  const managedService = (s: Readonly<EndpointSlice>) => {
    const labels = s.metadata.labels ?? {};
    const service = labels[serviceNameLabel];
    return service && labels[managedByLabel] === managedBy ? [`${s.metadata.namespace}/${service}`] : [];
  };
  sliceInformer.addIndex('service', managedService);
  // A slice changed or removed by someone else is put right.
  const enqueueOwner = (s: Readonly<EndpointSlice>) => {
    for (const key of managedService(s)) queue.add(key);
  };
  sliceInformer.addHandlers({ onUpdate: (_o, s) => enqueueOwner(s), onDelete: enqueueOwner });
  const api = d.client.resource(endpointSlicesRef);
  const { isCacheBehind, remember } = sliceWriteTracker(sliceInformer);
  const zoneOf = (node: string) =>
    nodeInformer.getByName(undefined, node)?.metadata.labels?.['topology.kubernetes.io/zone'];

  async function reconcile(key: string): Promise<void> {
    const service = services.get(key);
    // A deleted service's slices go with it: the garbage collector follows their ownerReferences.
    if (!service) return;
    if (isCacheBehind(key)) return queue.addAfter(key, 50);
    const selector = service.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return;
    const selected = selectedPods(service, pods);
    const desired = desiredSlices(service, selected, zoneOf);
    if (desired.length === 0) desired.push({ ports: [], endpoints: [] });
    const existing = [...sliceInformer.byIndex('service', key)].sort((a, b) =>
      byText(a.metadata.name ?? '', b.metadata.name ?? ''),
    );
    const labels: Record<string, string> = {
      ...service.metadata.labels,
      [serviceNameLabel]: service.metadata.name ?? '',
      [managedByLabel]: managedBy,
    };
    if (isHeadless(service)) labels[headlessLabel] = '';
    const trigger = triggerTime(service, selected);
    const unused = [...existing];
    for (const want of desired) {
      const endpoints = want.endpoints;
      const ports = want.ports;
      // Reuse a slice with the same ports (and the same content, when one has it) before any other.
      const same = unused.findIndex((s) => sameJson(s.ports ?? [], ports) && sameJson(s.endpoints ?? [], endpoints));
      const samePorts = same >= 0 ? same : unused.findIndex((s) => sameJson(s.ports ?? [], ports));
      const current = samePorts >= 0 ? unused.splice(samePorts, 1)[0] : undefined;
      if (current && same >= 0 && sameJson(current.metadata.labels ?? {}, labels)) continue;
      const annotations: Record<string, string> = { ...current?.metadata.annotations };
      if (trigger) annotations[lastChangeTriggerTime] = trigger;
      const body: EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: current
          ? { ...current.metadata, labels, annotations }
          : {
              generateName: `${service.metadata.name}-`,
              namespace: service.metadata.namespace ?? '',
              labels,
              annotations,
              ownerReferences: [
                {
                  apiVersion: 'v1',
                  kind: 'Service',
                  name: service.metadata.name ?? '',
                  uid: service.metadata.uid ?? '',
                  controller: true,
                  blockOwnerDeletion: true,
                },
              ],
            },
        addressType: 'IPv4',
        endpoints,
        ports: ports.length || endpoints.length ? ports : null,
      };
      const saved = current ? await api.update(body) : await api.create(body);
      remember(key, saved.metadata.name ?? '', Number(saved.metadata.resourceVersion ?? 0));
    }
    for (const extra of unused) {
      await api.delete(extra.metadata.name ?? '', extra.metadata.namespace).catch(ignoreNotFound);
      remember(key, extra.metadata.name ?? '', 'deleted');
    }
  }
  return { name: 'endpointslice', queue, workers: 5, reconcile };
}

/**
 * What a controller last wrote per owner key, so a reconcile before the informer has caught up does
 * not create a second slice for the same ports (the endpointSliceTracker of kube-controller-manager).
 */
export function sliceWriteTracker(sliceInformer: Informer<EndpointSlice>) {
  const written = new Map<string, Map<string, number | 'deleted'>>();
  return {
    isCacheBehind(key: string): boolean {
      const mine = written.get(key);
      for (const [name, version] of mine ?? []) {
        const cached = sliceInformer.getByName(splitKey(key).namespace, name);
        const caughtUp = version === 'deleted' ? !cached : Number(cached?.metadata.resourceVersion ?? 0) >= version;
        if (caughtUp) mine?.delete(name);
      }
      if (mine?.size === 0) written.delete(key);
      return (mine?.size ?? 0) > 0;
    },
    remember(key: string, name: string, version: number | 'deleted'): void {
      const mine = written.get(key) ?? new Map<string, number | 'deleted'>();
      written.set(key, mine);
      mine.set(name, version);
    },
  };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
