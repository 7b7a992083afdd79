/**
 * Which resources the garbage collector watches and how an ownerReference's apiVersion/kind maps to
 * a resource, both from discovery. Events are left out as kube-controller-manager leaves them out
 * (garbagecollector ignoredResources): they churn and are never owners.
 */
import type { ServedResource } from '../../client/types.ts';

const ignored = new Set(['/events', 'events.k8s.io/events']);

export interface ResourceMap {
  /** One entry per group and plural (the first version discovery lists), list+watch+delete only. */
  watchable: ServedResource[];
  /** The resource an ownerReference names; another served version of the same group and kind will do. */
  forReference(apiVersion: string, kind: string): ServedResource | undefined;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function createResourceMap(resources: readonly ServedResource[]): ResourceMap {
  const exact = new Map<string, ServedResource>();
  const byGroupKind = new Map<string, ServedResource>();
  const watchable = new Map<string, ServedResource>();
  for (const r of resources) {
    exact.set(`${r.group}/${r.version}/${r.kind}`, r);
    if (!byGroupKind.has(`${r.group}/${r.kind}`)) byGroupKind.set(`${r.group}/${r.kind}`, r);
    const id = `${r.group}/${r.plural}`;
    const canWatch = ['list', 'watch', 'delete'].every((v) => r.verbs.includes(v));
    if (canWatch && !ignored.has(id) && !watchable.has(id)) watchable.set(id, r);
  }
  return {
    watchable: [...watchable.values()],
    forReference(apiVersion, kind) {
      const { group, version } = splitApiVersion(apiVersion);
      return exact.get(`${group}/${version}/${kind}`) ?? byGroupKind.get(`${group}/${kind}`);
    },
  };
}
