/**
 * What every verb shares: the store, the clock, the resource table, the decode cache and the per-kind
 * hooks; plus the small helpers for reading an object in a def's version.
 */
import { randomUUID } from 'node:crypto';
import { copyValue } from '../copy-value.ts';
import { notFound } from '../status.ts';
import type { KeyValue, Store } from '../storage/types.ts';
import type { KubeObject, UserInfo } from '../types/meta.ts';
import type { ServiceAllocators } from './allocators/service-allocators.ts';
import type { Decoder } from './codec.ts';
import { groupResourceOf, storageKey } from './keys.ts';
import type { MutableResourceTable } from './resource-table.ts';
import { interpretStorageError } from './storage-errors.ts';
import { groupVersion, type ResourceDef } from './types.ts';

export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
}

/** Issues a service-account token (the API layer owns the signing key). */
export type ServiceAccountTokenIssuer = (request: {
  namespace: string;
  serviceAccount: KubeObject;
  spec: TokenRequestSpec;
  expirationSeconds: number;
  now: number;
}) => Promise<string> | string;

export interface RegistryState {
  store: Store;
  clock: () => number;
  random: () => number;
  newUID: () => string;
  table: MutableResourceTable;
  decoder: Decoder;
  services: ServiceAllocators;
  issueServiceAccountToken?: ServiceAccountTokenIssuer;
  /** Minimum time between BOOKMARK events on one watch. */
  bookmarkIntervalMs: number;
  /** How long a list or get with a future resourceVersion waits before 504. */
  futureRevisionWaitMs: number;
}

export const defaultUID = randomUUID;

/** RFC 3339 in UTC with whole seconds, as metav1.Time serializes. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The stored object seen in `def`'s version: frozen, with kind and apiVersion. */
export function viewOf(state: RegistryState, def: ResourceDef, kv: KeyValue, variant = ''): Readonly<KubeObject> {
  const convert = def.storage?.fromStorage;
  if (!convert) return state.decoder.decode(kv, variant);
  return state.decoder.derive(
    kv,
    `${groupVersion(def)}${variant}`,
    (stored) => convert(copyValue(stored) as KubeObject),
    variant,
  );
}

export function toStorageVersion(def: ResourceDef, object: KubeObject): KubeObject {
  return def.storage?.toStorage ? def.storage.toStorage(object) : object;
}

export interface Current {
  kv: KeyValue;
  /** A private, mutable copy in the def's version. */
  object: KubeObject;
}

/** The object as stored now, or 404 NotFound. */
export async function readCurrent(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
): Promise<Current> {
  const gr = groupResourceOf(def);
  const { kv } = await state.store.get(storageKey(def, namespace, name)).catch((e: unknown) => {
    throw interpretStorageError(e, gr, name);
  });
  if (!kv) throw notFound(gr, name);
  const object = def.storage?.fromStorage
    ? (copyValue(viewOf(state, def, kv)) as KubeObject)
    : state.decoder.mutable(kv);
  return { kv, object };
}

export function isAdmin(user: UserInfo): boolean {
  return user.groups.includes('system:masters');
}
