/**
 * Legacy discovery documents (contract §4.4): APIVersions at /api, APIGroupList at /apis, APIGroup at
 * /apis/<g>, APIResourceList at /api/v1 and /apis/<g>/<v>. kubectl drain and auth can-i read /api/v1
 * even when aggregated discovery is served, and client-node maps kinds through /apis/<g>/<v>.
 */
import { allVerbs, type ResourceDef } from '../../registry/types.ts';
import type { GroupVersions } from './group-versions.ts';
import { storageVersionHash } from './storage-version-hash.ts';

const gv = (group: string, version: string) => (group ? `${group}/${version}` : version);

export function apiVersions(core: GroupVersions | undefined, serverAddress?: string) {
  const doc: Record<string, unknown> = { kind: 'APIVersions', versions: core?.versions.map((v) => v.version) ?? [] };
  if (serverAddress) doc.serverAddressByClientCIDRs = [{ clientCIDR: '0.0.0.0/0', serverAddress }];
  return doc;
}

export function apiGroup(group: GroupVersions) {
  const versions = group.versions.map((v) => ({ groupVersion: gv(group.group, v.version), version: v.version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(groups: readonly GroupVersions[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups
      .filter((g) => g.group !== '')
      .map((g) => {
        const { kind: _kind, apiVersion: _apiVersion, ...rest } = apiGroup(g);
        return rest;
      }),
  };
}

export const sortedVerbs = (verbs: readonly string[]): string[] => [...verbs].sort();

function resourceEntries(def: ResourceDef): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: sortedVerbs(def.verbs ?? allVerbs),
  };
  if (def.shortNames?.length) main.shortNames = [...def.shortNames];
  if (def.categories?.length) main.categories = [...def.categories];
  main.storageVersionHash = storageVersionHash(def.group, def.version, def.kind);
  const subs = [...(def.subresources ?? [])]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((sub) => {
      const entry: Record<string, unknown> = {
        name: `${def.plural}/${sub.name}`,
        singularName: '',
        namespaced: def.namespaced,
      };
      // The entry names group/version only when the subresource's kind lives elsewhere (pods/eviction → policy/v1).
      if (sub.group !== undefined) {
        entry.group = sub.group;
        entry.version = sub.version ?? def.version;
      }
      entry.kind = sub.kind;
      entry.verbs = sortedVerbs(sub.verbs);
      return entry;
    });
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string, defs: readonly ResourceDef[]) {
  const sorted = [...defs].sort((a, b) => (a.plural < b.plural ? -1 : 1));
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv(group, version),
    resources: sorted.flatMap(resourceEntries),
  };
}
