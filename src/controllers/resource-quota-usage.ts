/**
 * What objects charge against a ResourceQuota, as pure functions shared by the quota controller
 * (status.used) and the quota admission step (refusing a create that would exceed status.hard).
 * The resource names and the pod arithmetic follow kube's quota evaluators (pkg/quota/v1/evaluator/core).
 */
import type { Container, Pod } from '../nodes/api-types.ts';
import { parseQuantity } from '../quantity.ts';
import type { KubeObject } from '../types/meta.ts';

export type ResourceList = Record<string, string>;

export interface ScopedResourceSelectorRequirement {
  scopeName: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface ResourceQuota extends KubeObject {
  spec?: {
    hard?: ResourceList;
    scopes?: string[];
    scopeSelector?: { matchExpressions?: ScopedResourceSelectorRequirement[] };
  };
  status?: { hard?: ResourceList; used?: ResourceList };
}

// ---- quantities: kept in milli-units so CPU (500m) and bytes (252Mi) add exactly ----

const binaryUnits: ReadonlyArray<[string, number]> = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];
const decimalUnits: ReadonlyArray<[string, number]> = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];

const milliOf = (q: string) => Math.round(parseQuantity(q) * 1000);
const isBinary = (q: string) => /[KMGTPE]i$/.test(q.trim());

/**
 * A milli-value printed in the canonical form of a Quantity of the given format, as
 * resource.Quantity.String() does: 1536Mi stays `1536Mi`, 1024Mi becomes `1Gi`, 2000m becomes `2`.
 */
export function formatQuantity(milli: number, binary: boolean): string {
  if (milli === 0) return '0';
  if (milli % 1000 !== 0) return `${milli}m`;
  const value = milli / 1000;
  for (const [suffix, size] of binary ? binaryUnits : decimalUnits) {
    if (value % size === 0) return `${value / size}${suffix}`;
  }
  return String(value);
}

/** a + b in a's format (b's when a is zero), as quota.Add keeps the format of the first operand. */
export function addQuantity(a: string | undefined, b: string): string {
  if (a === undefined || milliOf(a) === 0) return formatQuantity(milliOf(b), isBinary(b));
  return formatQuantity(milliOf(a) + milliOf(b), isBinary(a));
}

export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const sum: ResourceList = { ...a };
  for (const [name, q] of Object.entries(b)) sum[name] = addQuantity(sum[name], q);
  return sum;
}

export const isGreater = (a: string, b: string) => milliOf(a) > milliOf(b);
export const isZero = (q: string) => milliOf(q) === 0;

// ---- pods ----

const computeNames = ['cpu', 'memory', 'ephemeral-storage'];
/** Names whose use forces every container to state a request or limit (kube's "BACKWARD COMPATIBILITY" rule). */
const mustSpecify = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

function isPodResource(name: string): boolean {
  return (
    name === 'pods' ||
    name === 'count/pods' ||
    computeNames.includes(name) ||
    name.startsWith('requests.') ||
    name.startsWith('limits.') ||
    name.startsWith('hugepages-')
  );
}

/** The quota names one container's (or pod's) requests and limits charge. */
function usageOf(requests: ResourceList, limits: ResourceList): ResourceList {
  const usage: ResourceList = {};
  for (const [name, q] of Object.entries(requests)) {
    usage[`requests.${name}`] = q;
    if (computeNames.includes(name)) usage[name] = q;
    if (name.startsWith('hugepages-')) usage[name] = q;
  }
  for (const [name, q] of Object.entries(limits)) {
    if (computeNames.includes(name)) usage[`limits.${name}`] = q;
  }
  return usage;
}

/** Requests default to limits, as pod defaulting does when only a limit is given. */
const requestsOf = (c: Container): ResourceList => ({
  ...(c.resources?.limits ?? {}),
  ...(c.resources?.requests ?? {}),
});
const limitsOf = (c: Container): ResourceList => ({ ...(c.resources?.limits ?? {}) });

function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, q] of Object.entries(b)) if (out[name] === undefined || isGreater(q, out[name])) out[name] = q;
  return out;
}

/** A pod's effective requests or limits: containers summed, the largest init container if bigger, plus overhead. */
function podTotal(pod: Readonly<Pod>, of: (c: Container) => ResourceList): ResourceList {
  const containers = pod.spec?.containers ?? [];
  let total = containers.reduce<ResourceList>((sum, c) => addLists(sum, of(c)), {});
  for (const init of pod.spec?.initContainers ?? []) total = maxLists(total, of(init));
  return addLists(total, pod.spec?.overhead ?? {});
}

/**
 * A pod in a terminal phase charges nothing, nor one whose deletion grace period has run out
 * (kube's QuotaV1Pod).
 */
export function isPodCharged(pod: Readonly<Pod>, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata.deletionTimestamp;
  if (deletion && pod.metadata.deletionGracePeriodSeconds !== undefined) {
    return now <= Date.parse(deletion) + pod.metadata.deletionGracePeriodSeconds * 1000;
  }
  return true;
}

export function podUsage(pod: Readonly<Pod>, now: number): ResourceList {
  if (!isPodCharged(pod, now)) return {};
  return { pods: '1', 'count/pods': '1', ...usageOf(podTotal(pod, requestsOf), podTotal(pod, limitsOf)) };
}

const isBestEffort = (pod: Readonly<Pod>) =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].every(
    (c) => !Object.keys(c.resources?.requests ?? {}).length && !Object.keys(c.resources?.limits ?? {}).length,
  );

function podMatchesScope(pod: Readonly<Pod>, s: ScopedResourceSelectorRequirement): boolean {
  const priorityClass = (pod.spec as { priorityClassName?: string } | undefined)?.priorityClassName ?? '';
  switch (s.scopeName) {
    case 'Terminating':
      return pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating':
      return pod.spec?.activeDeadlineSeconds === undefined;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass':
      switch (s.operator) {
        case 'In':
          return (s.values ?? []).includes(priorityClass);
        case 'NotIn':
          return !(s.values ?? []).includes(priorityClass);
        case 'Exists':
          return priorityClass !== '';
        case 'DoesNotExist':
          return priorityClass === '';
      }
      return false;
    default:
      return false;
  }
}

/** spec.scopes and spec.scopeSelector as one list of requirements (scopes mean "In"). */
export function scopeRequirements(quota: Readonly<ResourceQuota>): ScopedResourceSelectorRequirement[] {
  return [
    ...(quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' as const })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

/**
 * The quota's complaint about containers that state no request or limit for a constrained
 * resource: `must specify limits.cpu for: app; requests.cpu for: app,side`, or undefined.
 */
export function podConstraintsViolation(pod: Readonly<Pod>, required: readonly string[]): string | undefined {
  const needed = required.filter((name) => mustSpecify.has(name));
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const has = usageOf(c.resources?.requests ?? {}, c.resources?.limits ?? {});
    for (const name of needed) {
      if (has[name] === undefined) missing.set(name, (missing.get(name) ?? new Set()).add(c.name));
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()]
    .sort()
    .map((name) => `${name} for: ${[...(missing.get(name) ?? [])].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

// ---- every kind ----

interface Service extends KubeObject {
  spec?: { type?: string; ports?: unknown[] };
}
interface PersistentVolumeClaim extends KubeObject {
  spec?: { storageClassName?: string; resources?: { requests?: ResourceList } };
}

/** The `count/<plural>[.<group>]` name of a resource. */
export const countName = (group: string, plural: string) => `count/${plural}${group ? `.${group}` : ''}`;

/** Legacy object-count names kube keeps for core kinds (`pods`, `services`, ...). */
const legacyCounts: Readonly<Record<string, string>> = {
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

function serviceUsage(service: Readonly<Service>): ResourceList {
  const type = service.spec?.type ?? 'ClusterIP';
  const usage: ResourceList = { services: '1', 'count/services': '1' };
  usage['services.loadbalancers'] = type === 'LoadBalancer' ? '1' : '0';
  // Each port of a NodePort or LoadBalancer service takes a node port.
  const hasNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  usage['services.nodeports'] = String(hasNodePorts ? (service.spec?.ports ?? []).length : 0);
  return usage;
}

function claimUsage(claim: Readonly<PersistentVolumeClaim>): ResourceList {
  const storage = claim.spec?.resources?.requests?.storage;
  const usage: ResourceList = { persistentvolumeclaims: '1', 'count/persistentvolumeclaims': '1' };
  const storageClass = claim.spec?.storageClassName;
  if (storageClass) usage[`${storageClass}.storageclass.storage.k8s.io/persistentvolumeclaims`] = '1';
  if (storage) {
    usage['requests.storage'] = storage;
    if (storageClass) usage[`${storageClass}.storageclass.storage.k8s.io/requests.storage`] = storage;
  }
  return usage;
}

/** What one object of `group`/`plural` charges; undefined for kinds quota does not look at. */
export function objectUsage(group: string, plural: string, object: Readonly<KubeObject>, now: number): ResourceList {
  if (group === '' && plural === 'pods') return podUsage(object as Readonly<Pod>, now);
  if (group === '' && plural === 'services') return serviceUsage(object as Readonly<Service>);
  if (group === '' && plural === 'persistentvolumeclaims') return claimUsage(object as Readonly<PersistentVolumeClaim>);
  const usage: ResourceList = { [countName(group, plural)]: '1' };
  const legacy = group === '' ? legacyCounts[plural] : undefined;
  if (legacy) usage[legacy] = '1';
  return usage;
}

/** The quota names `group`/`plural` objects can charge, out of `names`. */
export function matchingResources(group: string, plural: string, names: readonly string[]): string[] {
  if (group === '' && plural === 'pods') return names.filter(isPodResource);
  const own = new Set([countName(group, plural)]);
  if (group === '') {
    const legacy = legacyCounts[plural];
    if (legacy) own.add(legacy);
  }
  return names.filter(
    (name) =>
      own.has(name) ||
      (group === '' && plural === 'services' && name.startsWith('services.')) ||
      (group === '' &&
        plural === 'persistentvolumeclaims' &&
        (name === 'requests.storage' || name.includes('.storageclass.storage.k8s.io/'))),
  );
}

/** Whether an object falls under the quota's scopes; scopes only ever select pods. */
export function matchesScopes(
  quota: Readonly<ResourceQuota>,
  group: string,
  plural: string,
  object: Readonly<KubeObject>,
): boolean {
  const requirements = scopeRequirements(quota);
  if (!requirements.length) return true;
  if (group !== '' || plural !== 'pods') return false;
  return requirements.every((r) => podMatchesScope(object as Readonly<Pod>, r));
}

/** The `count/...` resources a quota names, as [group, plural] pairs. */
export function countedResources(names: readonly string[]): Array<{ group: string; plural: string }> {
  const legacy = Object.entries(legacyCounts)
    .filter(([, name]) => names.includes(name))
    .map(([plural]) => ({ group: '', plural }));
  const counted = names
    .filter((n) => n.startsWith('count/'))
    .map((n) => {
      const resource = n.slice('count/'.length);
      const dot = resource.indexOf('.');
      return dot < 0
        ? { group: '', plural: resource }
        : { group: resource.slice(dot + 1), plural: resource.slice(0, dot) };
    });
  return [...legacy, ...counted];
}

/**
 * status.used for a quota from the objects of one resource in its namespace: every name of
 * status.hard the resource can charge appears, zero when nothing charges it.
 */
export function usedBy(
  quota: Readonly<ResourceQuota>,
  group: string,
  plural: string,
  objects: readonly Readonly<KubeObject>[],
  now: number,
): ResourceList {
  const tracked = matchingResources(group, plural, Object.keys(quota.spec?.hard ?? {}));
  const used: ResourceList = Object.fromEntries(tracked.map((name) => [name, '0']));
  for (const object of objects) {
    if (!matchesScopes(quota, group, plural, object)) continue;
    const usage = objectUsage(group, plural, object, now);
    for (const name of tracked) {
      const q = usage[name];
      if (q !== undefined) used[name] = addQuantity(used[name], q);
    }
  }
  return used;
}
