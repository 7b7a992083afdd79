/**
 * Reading and writing the fields a CRD's scale subresource names (`.spec.replicas`,
 * `.status.replicas`, `.status.selector`): simple dotted JSONPaths, as apiextensions requires them.
 */
type Json = Record<string, unknown>;

const segments = (path: string) => path.replace(/^\./, '').split('.').filter(Boolean);
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function valueAtPath(object: unknown, path: string): unknown {
  let current = object;
  for (const segment of segments(path)) current = isObject(current) ? current[segment] : undefined;
  return current;
}

/** Sets the value, creating the objects on the way. */
export function setAtPath(object: Json, path: string, value: unknown): void {
  const parts = segments(path);
  const last = parts.pop();
  if (last === undefined) return;
  let current = object;
  for (const segment of parts) {
    const next = current[segment];
    if (!isObject(next)) current[segment] = {};
    current = current[segment] as Json;
  }
  current[last] = value;
}
