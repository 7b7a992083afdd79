/**
 * The Endpoints controller (kube-controller-manager's endpoint controller): for every Service with a
 * selector, one Endpoints object of the same name listing the selected pods' IPs (ready ones under
 * `addresses`, others under `notReadyAddresses`) with the service ports resolved against each pod
 * (a named targetPort is looked up in the pod's container ports). Also exports the selection rules
 * the EndpointSlice controller shares, so both report exactly the same pods.
 */

import { endpoints as endpointsRef, pods as podsRef, services as servicesRef } from '../client/resources.ts';
import type { KubeClient, ResourceRef } from '../client/types.ts';
import type { Pod as SimPod } from '../nodes/api-types.ts';
import { labelSelectorFromSpec } from '../selectors/index.ts';
import { isStatusError } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { byNamespace, keyOf, splitKey } from './runtime/cache.ts';
import { type Clock, realClock } from './runtime/clock.ts';
import type { Informer } from './runtime/informer.ts';
import type { Informers } from './runtime/informer-factory.ts';
import type { Controller } from './runtime/run-controller.ts';
import { createWorkQueue, type WorkQueue } from './runtime/work-queue.ts';

export type Pod = SimPod;

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
}

export interface Service extends KubeObject {
  spec?: {
    selector?: Record<string, string>;
    clusterIP?: string;
    type?: string;
    ports?: ServicePort[];
    publishNotReadyAddresses?: boolean;
  };
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

export const lastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';
export const headlessLabel = 'service.kubernetes.io/headless';

/** A selector only in a Service that has one: an absent (or empty) selector means endpoints are managed by hand. */
export function serviceSelects(service: Readonly<Service>, pod: Readonly<Pod>): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  return (
    pod.metadata.namespace === service.metadata.namespace &&
    labelSelectorFromSpec({ matchLabels: selector }).matches(pod.metadata.labels)
  );
}

export const isHeadless = (service: Readonly<Service>) => service.spec?.clusterIP === 'None';

export function isPodReady(pod: Readonly<Pod>): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * endpoints util ShouldPodBeInEndpoints: a pod with an IP that has not finished; terminating pods
 * only where asked (EndpointSlices list them with `terminating: true`, Endpoints drop them).
 */
export function shouldPodBeInEndpoints(pod: Readonly<Pod>, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** The container port a service port targets on this pod, or undefined when the pod has no such named port. */
export function resolvePort(port: Readonly<ServicePort>, pod: Readonly<Pod>): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** endpoints controller: a pod gets a hostname only in the headless service its subdomain names. */
export function hostnameFor(service: Readonly<Service>, pod: Readonly<Pod>): string | undefined {
  const { hostname, subdomain } = pod.spec;
  return hostname && subdomain === service.metadata.name && service.metadata.namespace === pod.metadata.namespace
    ? hostname
    : undefined;
}

export const podReference = (pod: Readonly<Pod>) => ({
  kind: 'Pod',
  namespace: pod.metadata.namespace ?? '',
  name: pod.metadata.name ?? '',
  uid: pod.metadata.uid ?? '',
});

/** The latest change among the service and its pods, the time a real cluster stamps on its endpoints. */
export function triggerTime(service: Readonly<Service>, pods: readonly Readonly<Pod>[]): string | undefined {
  let latest = service.metadata.creationTimestamp ?? undefined;
  for (const pod of pods) {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    for (const t of [pod.metadata.creationTimestamp, ready]) if (t && (!latest || t > latest)) latest = t;
  }
  return latest;
}

/** Keys of services selecting a pod; for event handlers of both endpoint controllers. */
export function watchServicesAndPods(
  informers: Informers,
  queue: WorkQueue,
): { services: Informer<Service>; pods: Informer<Pod> } {
  const services = informers.informerFor<Service>(servicesRef);
  const pods = informers.informerFor(podsRef as ResourceRef<Pod>);
  services.addIndex('namespace', byNamespace);
  const enqueue = (s: Readonly<Service>) => queue.add(keyOf(s));
  services.addHandlers({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s), onDelete: enqueue });
  const enqueueFor = (pod: Readonly<Pod>) => {
    for (const s of services.byIndex('namespace', pod.metadata.namespace ?? '')) {
      if (serviceSelects(s, pod)) queue.add(keyOf(s));
    }
  };
  pods.addHandlers({
    onAdd: enqueueFor,
    onUpdate: (old, pod) => {
      enqueueFor(pod);
      if (old.metadata.labels !== pod.metadata.labels) enqueueFor(old);
    },
    onDelete: enqueueFor,
  });
  return { services, pods };
}

export function selectedPods(service: Readonly<Service>, pods: Informer<Pod>): Readonly<Pod>[] {
  return pods.list().filter((p) => serviceSelects(service, p));
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The subsets of a service's Endpoints (endpoints controller syncService + RepackSubsets): addresses
 * that serve the same ports share a subset; addresses sorted by IP, ports by name.
 */
export function calculateSubsets(service: Readonly<Service>, pods: readonly Readonly<Pod>[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const servicePorts = service.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, false)) continue;
    const hostname = hostnameFor(service, pod);
    const address: EndpointAddress = {
      ip: pod.status?.podIP ?? '',
      ...(hostname ? { hostname } : {}),
      ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: podReference(pod),
    };
    const isReady = service.spec?.publishNotReadyAddresses === true || isPodReady(pod);
    let ports: EndpointPort[] = [];
    if (servicePorts.length === 0) {
      // Only headless services list pods without ports.
      if (!isHeadless(service)) continue;
    } else {
      ports = servicePorts.flatMap((sp) => {
        const port = resolvePort(sp, pod);
        if (port === undefined) return [];
        return [
          {
            ...(sp.name ? { name: sp.name } : {}),
            port,
            protocol: sp.protocol ?? 'TCP',
            ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
          },
        ];
      });
      if (ports.length === 0) continue;
    }
    ports.sort((a, b) => byText(a.name ?? '', b.name ?? '') || a.port - b.port);
    const id = JSON.stringify(ports);
    const group = groups.get(id) ?? { ports, ready: [], notReady: [] };
    groups.set(id, group);
    (isReady ? group.ready : group.notReady).push(address);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) =>
    byText(a.ip, b.ip) || byText(a.targetRef?.uid ?? '', b.targetRef?.uid ?? '');
  return [...groups.values()].map((g) => ({
    ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}),
    ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  }));
}

export function endpointsController(d: { client: KubeClient; informers: Informers; clock?: Clock }): Controller & {
  reconcile(key: string): Promise<void>;
} {
  const clock = d.clock ?? realClock;
  const queue = createWorkQueue({ clock });
  const { services, pods } = watchServicesAndPods(d.informers, queue);
  const existing = d.informers.informerFor<Endpoints>(endpointsRef);
  // Someone deleted the Endpoints of a live service: put them back.
  existing.addHandlers({ onDelete: (e) => queue.add(keyOf(e)) });
  const api = d.client.resource<Endpoints>(endpointsRef);

  async function reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const service = services.get(key);
    const current = existing.get(key);
    if (!service) {
      if (current) await api.delete(name, namespace).catch(ignoreNotFound);
      return;
    }
    const selector = service.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return;
    const selected = selectedPods(service, pods);
    const subsets = calculateSubsets(service, selected);
    const labels: Record<string, string> = { ...service.metadata.labels };
    if (isHeadless(service)) labels[headlessLabel] = '';
    const hasSameLabels =
      JSON.stringify(sortedEntries(current?.metadata.labels)) === JSON.stringify(sortedEntries(labels));
    if (current && hasSameLabels && JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets)) return;
    const annotations: Record<string, string> = { ...current?.metadata.annotations };
    const trigger = triggerTime(service, selected);
    if (trigger) annotations[lastChangeTriggerTime] = trigger;
    const metadata = { ...current?.metadata, name, namespace, labels, annotations };
    const body: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata, ...(subsets.length ? { subsets } : {}) };
    if (current) await api.update(body);
    else
      await api.create(body).catch((err: unknown) => {
        if (!(isStatusError(err) && err.code === 409)) throw err;
        throw new Error(`endpoints ${key} appeared meanwhile; retrying`);
      });
  }
  return { name: 'endpoint', queue, workers: 5, reconcile };
}

const sortedEntries = (m: Record<string, string> | undefined) =>
  Object.entries(m ?? {}).sort(([a], [b]) => byText(a, b));

export function ignoreNotFound(err: unknown): void {
  if (!(isStatusError(err) && err.code === 404)) throw err;
}
