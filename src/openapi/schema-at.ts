/**
 * Walks the catalog from a kind down a JSON path, for the code that needs the schema of a nested
 * field (strategic merge patch, server-side apply, validation messages):
 * `schemaAt({ group: 'apps', version: 'v1', kind: 'Deployment' }, ['spec', 'template', 'spec', 'containers'])`
 * is the `containers` property of PodSpec, with its x-kubernetes-patch-merge-key. Array items and map
 * values are stepped into implicitly, or explicitly with a numeric index or any key respectively.
 */
import { type Catalog, getCatalog } from './catalog.ts';
import { type GroupVersionKind, refName, type Schema } from './schema.ts';

export interface SchemaNode {
  /** The schema as written where the path ends: a property carries its patch and list facts here. */
  schema: Schema;
  /** The same after following `$ref`/allOf: where the properties are. */
  resolved: Schema;
  /** The definition `resolved` is, when it is one (`io.k8s.api.core.v1.Container`). */
  definition?: string;
}

function resolve(catalog: Catalog, schema: Schema): { resolved: Schema; definition?: string } {
  let current = schema;
  for (let depth = 0; depth < 8; depth++) {
    const name = refName(current.$ref ?? current.allOf?.[0]?.$ref);
    const target = name === undefined ? undefined : catalog.definitions.get(name);
    if (!name || !target) return { resolved: current };
    if (!target.$ref && !target.allOf) return { resolved: target, definition: name };
    current = target;
  }
  return { resolved: current };
}

function node(catalog: Catalog, schema: Schema): SchemaNode {
  const { resolved, definition } = resolve(catalog, schema);
  return definition ? { schema, resolved, definition } : { schema, resolved };
}

/** The element schema of a list or map node, if it is one. */
function elementOf(resolved: Schema): Schema | undefined {
  if (resolved.items) return resolved.items;
  return typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined;
}

/** The node one step below `from`, or undefined when the schema has no such field. */
export function childNode(catalog: Catalog, from: SchemaNode, segment: string): SchemaNode | undefined {
  const property = from.resolved.properties?.[segment];
  if (property) return node(catalog, property);
  const element = elementOf(from.resolved);
  if (!element) return undefined;
  const inner = node(catalog, element);
  if (from.resolved.items && /^\d+$/.test(segment)) return inner;
  if (typeof from.resolved.additionalProperties === 'object') return inner;
  // A property name below a list: step into the items first (`containers.resources`).
  return childNode(catalog, inner, segment);
}

/** The schema node at `path` below the kind's definition; undefined for an unknown kind or field. */
export function schemaAt(
  gvk: GroupVersionKind,
  path: readonly string[],
  catalog = getCatalog(),
): SchemaNode | undefined {
  const name = catalog.definitionForKind(gvk.group, gvk.version, gvk.kind);
  const root = name === undefined ? undefined : catalog.definitions.get(name);
  if (!name || !root) return undefined;
  let current: SchemaNode | undefined = { schema: root, resolved: root, definition: name };
  for (const segment of path) {
    current = current && childNode(catalog, current, segment);
    if (!current) return undefined;
  }
  return current;
}
