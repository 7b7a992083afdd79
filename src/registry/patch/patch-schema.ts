/**
 * The schema as strategic merge patch and server-side apply walk it: one node per field with the
 * field's patch facts (x-kubernetes-patch-strategy/-merge-key, list type and map keys, map type).
 * Nodes are built lazily from the OpenAPI catalog and cached per definition, so a patch of a
 * Deployment costs a few map lookups per field, not a schema walk from the root.
 */
import { getCatalog } from '../../openapi/catalog.ts';
import type { PatchMeta } from '../../openapi/facts/field-facts.ts';
import { refName, type Schema } from '../../openapi/schema.ts';

export type { PatchMeta };

export interface PatchSchema {
  /** Facts of the field this node is (from its property in the parent). */
  readonly meta: PatchMeta;
  /** True for a struct (a definition with properties): its keys are fields, not map entries. */
  readonly isStruct: boolean;
  /** The field names the struct requires (always present, even as zero values, in Go). */
  readonly required: ReadonlySet<string>;
  /** The node of a struct field or of a map's values; `unknown` when the schema does not say. */
  field(name: string): PatchSchema;
  /** The node of a list's elements. */
  element(): PatchSchema;
}

const noRequired: ReadonlySet<string> = new Set();

/** The node for anything the schema does not describe: no strategies, maps merge, lists replace. */
export const unknownSchema: PatchSchema = {
  meta: {},
  isStruct: false,
  required: noRequired,
  field: () => unknownSchema,
  element: () => unknownSchema,
};

function metaOf(schema: Schema, resolved: Schema): PatchMeta {
  const meta: PatchMeta = {};
  const strategy = schema['x-kubernetes-patch-strategy'];
  const mergeKey = schema['x-kubernetes-patch-merge-key'];
  const listType = schema['x-kubernetes-list-type'];
  const mapKeys = schema['x-kubernetes-list-map-keys'];
  const mapType = schema['x-kubernetes-map-type'] ?? resolved['x-kubernetes-map-type'];
  if (typeof strategy === 'string') meta.patchStrategy = strategy;
  if (typeof mergeKey === 'string') meta.patchMergeKey = mergeKey;
  if (listType === 'atomic' || listType === 'set' || listType === 'map') meta.listType = listType;
  if (Array.isArray(mapKeys)) meta.listMapKeys = mapKeys.filter((k): k is string => typeof k === 'string');
  if (mapType === 'atomic' || mapType === 'granular') meta.mapType = mapType;
  return meta;
}

type Definitions = ReadonlyMap<string, Schema>;

function resolve(definitions: Definitions, schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; depth < 8; depth++) {
    const target = definitions.get(refName(current.$ref ?? current.allOf?.[0]?.$ref) ?? '');
    if (!target) return current;
    current = target;
  }
  return current;
}

/** A node over a schema; children are created on first use and kept. */
function createNode(definitions: Definitions, schema: Schema): PatchSchema {
  const resolved = resolve(definitions, schema);
  const fields = new Map<string, PatchSchema>();
  let element: PatchSchema | undefined;
  const values =
    typeof resolved.additionalProperties === 'object'
      ? createNode(definitions, resolved.additionalProperties)
      : undefined;
  const isStruct = !!resolved.properties;
  return {
    meta: metaOf(schema, resolved),
    isStruct,
    required: resolved.required ? new Set(resolved.required) : noRequired,
    field(name) {
      let child = fields.get(name);
      if (!child) {
        const property = resolved.properties?.[name];
        child = property ? createNode(definitions, property) : (values ?? unknownSchema);
        fields.set(name, child);
      }
      return child;
    },
    element() {
      element ??= resolved.items ? createNode(definitions, resolved.items) : unknownSchema;
      return element;
    },
  };
}

const roots = new Map<string, { generation: number; node: PatchSchema }>();

/** The schema of a kind, or `unknownSchema` for a kind the catalog does not know. */
export function patchSchemaFor(group: string, version: string, kind: string): PatchSchema {
  const catalog = getCatalog();
  const key = `${group}/${version}/${kind}`;
  const cached = roots.get(key);
  if (cached && cached.generation === catalog.generation) return cached.node;
  const name = catalog.definitionForKind(group, version, kind);
  const root = name === undefined ? undefined : catalog.definitions.get(name);
  const node = root ? createNode(catalog.definitions, root) : unknownSchema;
  roots.set(key, { generation: catalog.generation, node });
  return node;
}

/** A schema from a literal description, for tests and small built-in cases. */
export function patchSchemaFromOpenAPI(schema: Schema, definitions: Definitions = new Map()): PatchSchema {
  return createNode(definitions, schema);
}
