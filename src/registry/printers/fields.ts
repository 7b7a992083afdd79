/**
 * Safe readers for untrusted object trees. Printers see objects straight from user manifests, so every
 * field may be missing or of the wrong type; these return a neutral value instead of throwing.
 */

export type Fields = Readonly<Record<string, unknown>>;

const empty: Fields = Object.freeze({});

/** The object at `path`, or an empty record when any step is missing or not an object. */
export function record(value: unknown, ...path: readonly string[]): Fields {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return empty;
    current = current[key];
  }
  return isRecord(current) ? current : empty;
}

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value;
  const parent = record(value, ...path.slice(0, -1));
  return parent[path[path.length - 1] as string];
}

/** A string field; '' when missing (Go's zero value, which is what kube's printers see). */
export function text(value: unknown, ...path: readonly string[]): string {
  const found = at(value, path);
  return typeof found === 'string' ? found : '';
}

/** A string field, or undefined when it is absent (for Go pointer fields such as spec.timeZone). */
export function optionalText(value: unknown, ...path: readonly string[]): string | undefined {
  const found = at(value, path);
  return typeof found === 'string' ? found : undefined;
}

/** An integer field; 0 when missing. */
export function integer(value: unknown, ...path: readonly string[]): number {
  const found = optionalInteger(value, ...path);
  return found ?? 0;
}

/** An integer field, or undefined when absent (Go pointer fields such as spec.completions). */
export function optionalInteger(value: unknown, ...path: readonly string[]): number | undefined {
  const found = at(value, path);
  return typeof found === 'number' && Number.isFinite(found) ? Math.trunc(found) : undefined;
}

export function optionalBoolean(value: unknown, ...path: readonly string[]): boolean | undefined {
  const found = at(value, path);
  return typeof found === 'boolean' ? found : undefined;
}

/** An array field as records; non-object entries are dropped. */
export function records(value: unknown, ...path: readonly string[]): Fields[] {
  const found = at(value, path);
  return Array.isArray(found) ? found.filter(isRecord) : [];
}

/** An array field of strings; other entries are dropped. */
export function texts(value: unknown, ...path: readonly string[]): string[] {
  const found = at(value, path);
  return Array.isArray(found) ? found.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** A map of strings (labels, selectors, annotations); non-string values are dropped. */
export function stringMap(value: unknown, ...path: readonly string[]): Record<string, string> {
  const found = record(value, ...path);
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(found)) if (typeof entry === 'string') result[key] = entry;
  return result;
}

/** How many keys a map field has (configmap data, secret data). */
export function keyCount(value: unknown, ...path: readonly string[]): number {
  return Object.keys(record(value, ...path)).length;
}

/**
 * A resource.Quantity or IntOrString as kube prints it. Stored quantities are already in the form
 * the server keeps, so they pass through; a bare number becomes its decimal text.
 */
export function quantity(value: unknown, ...path: readonly string[]): string | undefined {
  const found = at(value, path);
  if (typeof found === 'string') return found;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return undefined;
}
