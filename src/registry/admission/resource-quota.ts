/**
 * The ResourceQuota admission step on create (kube-apiserver's ResourceQuota plugin): an object
 * that would push any quota of its namespace past status.hard is refused with 403, a pod that
 * states no request or limit for a resource a quota constrains too, and an admitted create adds its
 * charge to status.used at once, so a burst of creates cannot slip past a quota the controller has
 * not recounted yet. It runs after validation and naming, as validating admission does in kube, so
 * messages carry generated names.
 */
import {
  addQuantity,
  isGreater,
  isZero,
  matchesScopes,
  matchingResources,
  objectUsage,
  podConstraintsViolation,
  type ResourceList,
  type ResourceQuota,
} from '../../controllers/resource-quota-usage.ts';
import type { Pod } from '../../nodes/api-types.ts';
import { forbidden } from '../../status.ts';
import { isStorageError } from '../../storage/types.ts';
import type { KubeObject } from '../../types/meta.ts';
import { encodeObject } from '../codec.ts';
import { groupResourceOf, storagePrefix } from '../keys.ts';
import type { RegistryState } from '../registry-state.ts';
import type { ResourceDef } from '../types.ts';

/** Writes of status.used that lost a race with another writer are retried this often (kube retries too). */
const maxAttempts = 5;

const prettyPrint = (list: ResourceList, names: readonly string[]) =>
  [...names]
    .sort()
    .map((name) => `${name}=${list[name] ?? '0'}`)
    .join(',');

export async function admitResourceQuota(
  state: RegistryState,
  def: ResourceDef,
  object: KubeObject,
  isDryRun: boolean,
): Promise<void> {
  const namespace = object.metadata.namespace;
  const quotaDef = state.table.lookup('', 'v1', 'resourcequotas');
  if (!namespace || !def.namespaced || !quotaDef) return;
  for (let attempt = 1; ; attempt++) {
    const { kvs } = await state.store.list(storagePrefix(quotaDef, namespace));
    if (!kvs.length) return;
    const charges: Array<{ key: string; modRevision: number; quota: ResourceQuota; used: ResourceList }> = [];
    for (const kv of kvs) {
      const quota = structuredClone(state.decoder.decode(kv)) as ResourceQuota;
      const used = chargeFor(def, object, quota, state.clock());
      if (used) charges.push({ key: kv.key, modRevision: kv.modRevision, quota, used });
    }
    if (isDryRun || !charges.length) return;
    try {
      for (const c of charges) {
        const { resourceVersion: _written, ...metadata } = c.quota.metadata;
        const updated = { ...c.quota, metadata, status: { ...c.quota.status, used: c.used } };
        await state.store.update(c.key, encodeObject(updated), c.modRevision);
      }
      return;
    } catch (err) {
      if (!isStorageError(err, 'Conflict') || attempt >= maxAttempts) throw err;
    }
  }
}

/**
 * The quota's status.used with `object` added, or undefined when the quota does not constrain it;
 * throws the 403 kube gives when it may not be created.
 */
export function chargeFor(
  def: ResourceDef,
  object: KubeObject,
  quota: ResourceQuota,
  now: number,
): ResourceList | undefined {
  const name = quota.metadata.name ?? '';
  const hard = quota.status?.hard ?? {};
  const isPod = def.group === '' && def.plural === 'pods';
  if (!matchesScopes(quota, def.group, def.plural, object)) return undefined;
  const restricted = matchingResources(def.group, def.plural, Object.keys(hard));
  if (!restricted.length) return undefined;
  const gr = groupResourceOf(def);
  const objectName = object.metadata.name ?? '';
  const violation = isPod ? podConstraintsViolation(object as Pod, restricted) : undefined;
  if (violation) throw forbidden(gr, objectName, `failed quota: ${name}: ${violation}`);
  const used = quota.status?.used ?? {};
  const unknown = restricted.filter((r) => used[r] === undefined);
  if (unknown.length) {
    throw forbidden(gr, objectName, `status unknown for quota: ${name}, resources: ${[...unknown].sort().join(',')}`);
  }
  const delta = objectUsage(def.group, def.plural, object, now);
  const requested = restricted.filter((r) => delta[r] !== undefined && !isZero(delta[r] as string));
  if (!requested.length) return undefined;
  const next: ResourceList = { ...used };
  for (const r of requested) next[r] = addQuantity(used[r], delta[r] as string);
  const exceeded = requested.filter((r) => isGreater(next[r] as string, hard[r] as string));
  if (exceeded.length) {
    throw forbidden(
      gr,
      objectName,
      `exceeded quota: ${name}, requested: ${prettyPrint(delta, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`,
    );
  }
  return next;
}
