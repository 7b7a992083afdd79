/**
 * Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1, contract §4.2): every group, version and
 * resource in one document. The two versions differ only in apiVersion. `/api` holds the core group
 * alone, `/apis` every named group.
 */
import { allVerbs, type ResourceDef } from '../../registry/types.ts';
import type { GroupVersions } from './group-versions.ts';
import { sortedVerbs } from './legacy.ts';

export type DiscoveryVersion = 'v2' | 'v2beta1';

function resourceEntry(def: ResourceDef): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: def.plural,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: sortedVerbs(def.verbs ?? allVerbs),
  };
  if (def.shortNames?.length) entry.shortNames = [...def.shortNames];
  if (def.categories?.length) entry.categories = [...def.categories];
  if (def.subresources?.length) {
    entry.subresources = [...def.subresources]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((sub) => ({
        subresource: sub.name,
        responseKind: {
          group: sub.group ?? def.group,
          version: sub.group !== undefined ? (sub.version ?? def.version) : def.version,
          kind: sub.kind,
        },
        verbs: sortedVerbs(sub.verbs),
      }));
  }
  return entry;
}

function groupEntry(group: GroupVersions) {
  return {
    metadata: { name: group.group, creationTimestamp: null },
    versions: group.versions.map((v) => ({
      version: v.version,
      resources: [...v.resources].sort((a, b) => (a.plural < b.plural ? -1 : 1)).map(resourceEntry),
      freshness: 'Current',
    })),
  };
}

export function groupDiscoveryList(groups: readonly GroupVersions[], version: DiscoveryVersion) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(groupEntry),
  };
}

export const aggregatedContentType = (version: DiscoveryVersion) =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
