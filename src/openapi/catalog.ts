/**
 * The schema catalog: one OpenAPI definition per built-in type, built once on first use from the
 * installed client-node models (model-schemas.ts) plus our facts (facts/): patch strategies, list
 * types, map types, enums, Quantities and x-kubernetes-group-version-kind. Everything that serves or
 * checks schemas (/openapi/v2, /openapi/v3, validation, strategic merge patch, server-side apply)
 * reads this one catalog. Custom resources add their schemas with addCustomSchema.
 */
import { groupVersionOfDefinition } from './facts/api-groups.ts';
import { definitionFacts, type FieldFacts } from './facts/field-facts.ts';
import { messageByDefinition } from './facts/proto-fields.ts';
import { modelDefinitions } from './model-schemas.ts';
import { readModels } from './models.ts';
import { definitionRef, type GroupVersionKind, type Schema } from './schema.ts';

export const quantityDefinition = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const patchDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
export const statusDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
export const deleteOptionsDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

export interface Catalog {
  /** Every definition by name (`io.k8s.api.core.v1.Pod`), sorted by name. */
  readonly definitions: ReadonlyMap<string, Schema>;
  /** The definition of a kind, e.g. `('apps', 'v1', 'Deployment')` → `io.k8s.api.apps.v1.Deployment`. */
  definitionForKind(group: string, version: string, kind: string): string | undefined;
  /** Adds or replaces a custom resource's schema; returns its definition name. */
  addCustomSchema(gvk: GroupVersionKind, schema: Schema): string;
  removeCustomSchema(gvk: GroupVersionKind): void;
  /** Bumped by every custom schema change, so documents built from the catalog know to rebuild. */
  readonly generation: number;
}

const gvkKey = (group: string, version: string, kind: string) => `${group}/${version}/${kind}`;

// Upstream's Quantity definition is a string; the description is ours.
const quantity: Schema = {
  description:
    'A fixed-point number with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (m, k, M, G, T, P, E) or a decimal exponent (e3). Examples: "100m", "1.5", "512Mi", "2Gi".',
  type: 'string',
};

// The body of every PATCH, whatever its content type; no model exists for it.
const patch: Schema = {
  description: 'The body of a PATCH request: a JSON patch, merge patch, strategic merge patch or apply configuration.',
  type: 'object',
};

type QuantityShape = 'value' | 'list' | 'map';

const quantityMessage = 'k8s.io.apimachinery.pkg.api.resource.Quantity';

/**
 * The Quantity fields of a definition and their shape, from the protobuf table: its field types are
 * the Go types, so every Quantity is found there, in every version (the models type them as strings).
 */
function quantityFields(definition: string): Map<string, QuantityShape> {
  const shapes = new Map<string, QuantityShape>();
  for (const field of messageByDefinition(definition)?.fields ?? []) {
    if (field.type !== quantityMessage || field.isInline) continue;
    shapes.set(field.jsonName, field.mapKey ? 'map' : field.isRepeated ? 'list' : 'value');
  }
  return shapes;
}

function asQuantity(property: Schema, shape: QuantityShape): Schema {
  const ref = { $ref: definitionRef(quantityDefinition) };
  if (shape === 'map') return { ...property, type: 'object', additionalProperties: ref };
  if (shape === 'list') return { ...property, type: 'array', items: ref };
  const { description } = property;
  return description ? { description, ...ref } : ref;
}

function applyFieldFacts(property: Schema, facts: FieldFacts): Schema {
  let schema = property;
  if (facts.enum) {
    if (schema.type === 'array' && schema.items) schema = { ...schema, items: { ...schema.items, enum: facts.enum } };
    else schema = { ...schema, enum: facts.enum };
  }
  if (facts.patchMergeKey) schema['x-kubernetes-patch-merge-key'] = facts.patchMergeKey;
  if (facts.patchStrategy) schema['x-kubernetes-patch-strategy'] = facts.patchStrategy;
  if (facts.listType) schema['x-kubernetes-list-type'] = facts.listType;
  if (facts.listMapKeys) schema['x-kubernetes-list-map-keys'] = facts.listMapKeys;
  if (facts.mapType) schema['x-kubernetes-map-type'] = facts.mapType;
  return schema;
}

/** A definition with our facts applied: a new object, the model's schema is not changed. */
export function withFacts(name: string, schema: Schema): Schema {
  const facts = definitionFacts(name);
  const quantities = quantityFields(name);
  if (facts.size === 0 && quantities.size === 0) return schema;
  const result: Schema = { ...schema };
  if (result.properties) {
    result.properties = Object.fromEntries(
      Object.entries(result.properties).map(([field, property]) => {
        const shape = quantities.get(field);
        const typed = shape ? asQuantity(property, shape) : property;
        const fieldFacts = facts.get(field);
        return [field, fieldFacts ? applyFieldFacts({ ...typed }, fieldFacts) : typed];
      }),
    );
  }
  const own = facts.get('')?.mapType;
  if (own) result['x-kubernetes-map-type'] = own;
  return result;
}

/** The kind a definition is served as: it has apiVersion and kind, and its package is a served group. */
export function kindOfDefinition(name: string, schema: Schema): GroupVersionKind | undefined {
  if (!schema.properties?.apiVersion || !schema.properties.kind) return undefined;
  const groupVersion = groupVersionOfDefinition(name);
  return groupVersion && { ...groupVersion, kind: name.slice(name.lastIndexOf('.') + 1) };
}

/** `com.example.stable.v1.CronTab` for group stable.example.com, as kube-apiserver names CRD schemas. */
export function customDefinitionName({ group, version, kind }: GroupVersionKind): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

export function buildCatalog(models = readModels()): Catalog {
  const definitions = new Map<string, Schema>();
  const byKind = new Map<string, string>();
  const built = modelDefinitions(models);
  built.set(quantityDefinition, quantity);
  built.set(patchDefinition, patch);
  for (const name of [...built.keys()].sort()) {
    const schema = withFacts(name, built.get(name) ?? {});
    const gvk = kindOfDefinition(name, schema);
    if (gvk) {
      schema['x-kubernetes-group-version-kind'] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
      byKind.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
    }
    definitions.set(name, schema);
  }
  let generation = 0;
  return {
    definitions,
    get generation() {
      return generation;
    },
    definitionForKind: (group, version, kind) => byKind.get(gvkKey(group, version, kind)),
    addCustomSchema(gvk, schema) {
      const name = customDefinitionName(gvk);
      definitions.set(name, {
        ...schema,
        'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }],
      });
      byKind.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
      generation++;
      return name;
    },
    removeCustomSchema(gvk) {
      const key = gvkKey(gvk.group, gvk.version, gvk.kind);
      const name = byKind.get(key);
      if (!name) return;
      byKind.delete(key);
      definitions.delete(name);
      generation++;
    },
  };
}

let catalog: Catalog | undefined;

/** The process-wide catalog, built on first call (about a few hundred ms: never on the start-up path). */
export function getCatalog(): Catalog {
  catalog ??= buildCatalog();
  return catalog;
}
