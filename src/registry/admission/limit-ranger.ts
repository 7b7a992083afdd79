/**
 * The LimitRanger admission step (kube-apiserver's LimitRanger plugin), on create of pods and
 * PersistentVolumeClaims. For a pod, each LimitRange of its namespace first fills the `Container`
 * item's default limits and defaultRequest into containers that lack them (and notes so in the
 * kubernetes.io/limit-ranger annotation), then every Container, Pod and claim item's min, max and
 * maxLimitRequestRatio are checked; a breach is refused with 403 listing every constraint broken.
 */
import { parseQuantity, toInteger, toMilli } from '../../quantity.ts';
import { forbidden } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { storagePrefix } from '../keys.ts';
import type { RegistryState } from '../registry-state.ts';

type ResourceList = Record<string, string>;
type LimitType = 'Container' | 'Pod' | 'PersistentVolumeClaim';

interface LimitRangeItem {
  type: LimitType;
  min?: ResourceList;
  max?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

interface Requirements {
  requests?: ResourceList;
  limits?: ResourceList;
}

interface Container {
  name: string;
  resources?: Requirements;
}

const annotation = 'kubernetes.io/limit-ranger';

async function limitItems(state: RegistryState, namespace: string): Promise<LimitRangeItem[]> {
  const def = state.table.lookup('', 'v1', 'limitranges');
  if (!def) return [];
  const { kvs } = await state.store.list(storagePrefix(def, namespace));
  return kvs.flatMap((kv) => (state.decoder.decode(kv) as { spec?: { limits?: LimitRangeItem[] } }).spec?.limits ?? []);
}

/** Fills missing limits and requests from the Container items; returns the annotation's parts. */
function applyDefaults(containers: Container[], items: readonly LimitRangeItem[]): string[] {
  const limits: ResourceList = {};
  const requests: ResourceList = {};
  for (const item of items) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest);
    Object.assign(limits, item.default);
  }
  const notes: string[] = [];
  // The names of `from` that `into` lacks, copied over.
  const fill = (from: ResourceList, into: ResourceList): string[] =>
    Object.keys(from).filter((name) => {
      if (into[name] !== undefined) return false;
      into[name] = from[name] as string;
      return true;
    });
  for (const container of containers) {
    const resources: Requirements = container.resources ?? {};
    const limitsNow = { ...resources.limits };
    const requestsNow = { ...resources.requests };
    const setLimits = fill(limits, limitsNow);
    const setRequests = fill(requests, requestsNow);
    if (Object.keys(limitsNow).length) resources.limits = limitsNow;
    if (Object.keys(requestsNow).length) resources.requests = requestsNow;
    container.resources = resources;
    if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for container ${container.name}`);
    if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for container ${container.name}`);
  }
  return notes;
}

/** The broken constraints of one item against one set of requests and limits, in kube's words. */
function breaches(item: LimitRangeItem, requests: ResourceList, limits: ResourceList): string[] {
  const out: string[] = [];
  const per = item.type;
  for (const [name, min] of Object.entries(item.min ?? {})) {
    const request = requests[name];
    const limit = limits[name];
    if (request === undefined) out.push(`minimum ${name} usage per ${per} is ${min}.  No request is specified`);
    else if (parseQuantity(request) < parseQuantity(min))
      out.push(`minimum ${name} usage per ${per} is ${min}, but request is ${request}`);
    else if (limit !== undefined && parseQuantity(limit) < parseQuantity(min))
      out.push(`minimum ${name} usage per ${per} is ${min}, but limit is ${limit}`);
  }
  for (const [name, max] of Object.entries(item.max ?? {})) {
    const request = requests[name];
    const limit = limits[name];
    // A claim's max bounds its request: claims have no limits to speak of.
    if (per === 'PersistentVolumeClaim') {
      if (request === undefined) out.push(`maximum ${name} usage per ${per} is ${max}.  No request is specified`);
      else if (parseQuantity(request) > parseQuantity(max))
        out.push(`maximum ${name} usage per ${per} is ${max}, but request is ${request}`);
    } else if (limit === undefined) out.push(`maximum ${name} usage per ${per} is ${max}.  No limit is specified`);
    else if (parseQuantity(limit) > parseQuantity(max))
      out.push(`maximum ${name} usage per ${per} is ${max}, but limit is ${limit}`);
    else if (request !== undefined && parseQuantity(request) > parseQuantity(max))
      out.push(`maximum ${name} usage per ${per} is ${max}, but request is ${request}`);
  }
  for (const [name, ratio] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const request = parseQuantity(requests[name] ?? '0');
    const limit = parseQuantity(limits[name] ?? '0');
    const prefix = `${name} max limit to request ratio per ${per} is ${ratio}`;
    if (request === 0) out.push(`${prefix}, but no request is specified or request is 0`);
    else if (limit === 0) out.push(`${prefix}, but no limit is specified or limit is 0`);
    else if (limit / request > parseQuantity(ratio))
      out.push(`${prefix}, but provided ratio is ${(limit / request).toFixed(6)}`);
  }
  return out;
}

/** Sums of the app containers' amounts, as the Pod item sees them (a resource some container lacks is absent). */
function podTotal(containers: readonly Container[], side: keyof Requirements): ResourceList {
  const names = new Set(containers.flatMap((c) => Object.keys(c.resources?.[side] ?? {})));
  const total: ResourceList = {};
  for (const name of names) {
    const amounts = containers.map((c) => c.resources?.[side]?.[name]);
    if (amounts.some((a) => a === undefined)) continue;
    // Printed as kube prints the sums it makes: cpu in millicores, the rest as plain integers.
    if (name === 'cpu') {
      const milli = amounts.reduce((sum, a) => sum + toMilli(a), 0);
      total[name] = milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
    } else total[name] = String(amounts.reduce((sum, a) => sum + toInteger(a), 0));
  }
  return total;
}

function refuse(resource: string, object: KubeObject, problems: string[]): Error {
  const why = problems.length === 1 ? (problems[0] as string) : `[${problems.join(', ')}]`;
  return forbidden({ group: '', resource }, object.metadata.name ?? '', why);
}

export async function admitPodLimitRanges(state: RegistryState, pod: KubeObject): Promise<void> {
  const items = await limitItems(state, pod.metadata.namespace ?? '');
  if (!items.length) return;
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const containers = spec.containers ?? [];
  const all = [...containers, ...(spec.initContainers ?? [])];
  const notes = applyDefaults(all, items);
  if (notes.length) {
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      [annotation]: `LimitRanger plugin set: ${notes.join('; ')}`,
    };
  }
  const problems = items.flatMap((item) => {
    if (item.type === 'Container')
      return all.flatMap((c) => breaches(item, c.resources?.requests ?? {}, c.resources?.limits ?? {}));
    if (item.type === 'Pod') return breaches(item, podTotal(containers, 'requests'), podTotal(containers, 'limits'));
    return [];
  });
  if (problems.length) throw refuse('pods', pod, problems);
}

export async function admitClaimLimitRanges(state: RegistryState, claim: KubeObject): Promise<void> {
  const items = await limitItems(state, claim.metadata.namespace ?? '');
  const resources = ((claim.spec ?? {}) as { resources?: Requirements }).resources ?? {};
  const problems = items
    .filter((item) => item.type === 'PersistentVolumeClaim')
    .flatMap((item) => breaches(item, resources.requests ?? {}, resources.limits ?? {}));
  if (problems.length) throw refuse('persistentvolumeclaims', claim, problems);
}
