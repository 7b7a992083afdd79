import type { ServedResource } from './types.ts';

/**
 * One entry per group/resource: the first version listed wins (discovery lists the preferred version
 * first). Versions of one resource share storage, so visiting each would count the same objects twice.
 */
export function uniqueResources(resources: readonly ServedResource[]): ServedResource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const key = `${r.plural}.${r.group}`;
    if (seen.has(key) || r.plural.includes('/')) return false;
    seen.add(key);
    return true;
  });
}
