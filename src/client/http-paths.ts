/** Standard Kubernetes REST paths, e.g. `/apis/apps/v1/namespaces/default/deployments/web/scale`. */
import type { ResourceRef } from './types.ts';

export function resourcePath(
  ref: Pick<ResourceRef, 'group' | 'version' | 'plural' | 'namespaced'>,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const root = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const scope = ref.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  const sub = subresource ? `/${subresource}` : '';
  return `${root}${scope}/${ref.plural}${object}${sub}`;
}

/** Query string from defined values only, `?a=1&b=x` or ''. */
export function queryString(params: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
