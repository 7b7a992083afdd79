/**
 * Storage keys: `/registry/<group or "core">/<resource>/<namespace>/<name>`; cluster-scoped kinds have no
 * namespace segment. Storage is addressed by the def's storage (group, resource), so versions that share
 * storage (autoscaling/v1 and v2 HPAs) share keys.
 */
import type { GroupKind, GroupResource } from '../status.ts';
import type { ResourceDef } from './types.ts';

export function storageGroupResource(def: ResourceDef): GroupResource {
  return def.storage
    ? { group: def.storage.group, resource: def.storage.resource }
    : { group: def.group, resource: def.plural };
}

/** The prefix selecting every object of the def (in one namespace when given), ending in '/'. */
export function storagePrefix(def: ResourceDef, namespace?: string): string {
  const gr = storageGroupResource(def);
  const base = `/registry/${gr.group || 'core'}/${gr.resource}/`;
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function storageKey(def: ResourceDef, namespace: string | undefined, name: string): string {
  return `${storagePrefix(def, def.namespaced ? namespace : undefined)}${name}`;
}

/** The resource as it appears in error messages: `deployments.apps`. */
export function groupResourceOf(def: ResourceDef): GroupResource {
  return { group: def.group, resource: def.plural };
}

export function groupKindOf(def: ResourceDef): GroupKind {
  return { group: def.group, kind: def.kind };
}
