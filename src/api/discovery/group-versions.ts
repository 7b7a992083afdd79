/**
 * The served resources grouped as discovery presents them: groups in the order the resource table first
 * names them (the core group separate), each group's versions in Kubernetes preference order.
 */
import type { ResourceDef } from '../../registry/types.ts';
import { compareVersions } from './version-priority.ts';

export interface GroupVersions {
  group: string;
  /** Preferred first. */
  versions: { version: string; resources: ResourceDef[] }[];
}

export function groupVersions(defs: readonly ResourceDef[]): GroupVersions[] {
  const groups = new Map<string, Map<string, ResourceDef[]>>();
  for (const def of defs) {
    let versions = groups.get(def.group);
    if (!versions) {
      versions = new Map();
      groups.set(def.group, versions);
    }
    const list = versions.get(def.version);
    if (list) list.push(def);
    else versions.set(def.version, [def]);
  }
  return [...groups].map(([group, versions]) => ({
    group,
    versions: [...versions]
      .sort(([a], [b]) => compareVersions(a, b))
      .map(([version, resources]) => ({ version, resources })),
  }));
}
