/**
 * The invariants of `x-kubernetes-list-type` (apiextensions listtype ValidateListSetsAndMaps): a
 * `set` holds no value twice, a `map` no two items with the same keys. The later copy is named:
 * `spec.tags[2]: Duplicate value: "a"`, or for a map list the keys as Go prints the map,
 * `spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}`.
 */
import type { FieldError } from '../../status.ts';
import type { JSONSchemaProps } from './crd-types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The schema cut down to the branches that lead to a set or map list, compiled once per version so
 * each write walks only those; undefined when the schema has none.
 */
export function listTypeSchema(schema: JSONSchemaProps): JSONSchemaProps | undefined {
  const out: JSONSchemaProps = {};
  const type = schema['x-kubernetes-list-type'];
  if (type === 'set' || type === 'map') out['x-kubernetes-list-type'] = type;
  if (type === 'map') out['x-kubernetes-list-map-keys'] = schema['x-kubernetes-list-map-keys'] ?? [];
  const properties = Object.entries(schema.properties ?? {}).flatMap(([key, property]) => {
    const kept = listTypeSchema(property);
    return kept ? [[key, kept] as const] : [];
  });
  if (properties.length) out.properties = Object.fromEntries(properties);
  const items = schema.items && listTypeSchema(schema.items);
  if (items) out.items = items;
  const values = typeof schema.additionalProperties === 'object' && listTypeSchema(schema.additionalProperties);
  if (values) out.additionalProperties = values;
  return Object.keys(out).length ? out : undefined;
}

/** `schema` is what listTypeSchema kept. */
export function validateListTypes(object: unknown, schema: JSONSchemaProps): FieldError[] {
  const errors: FieldError[] = [];
  walk(object, schema, '', errors);
  return errors;
}

function walk(value: unknown, schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  if (Array.isArray(value)) {
    const type = schema['x-kubernetes-list-type'];
    if (type === 'set') errors.push(...duplicatesInSet(value, path));
    if (type === 'map') errors.push(...duplicatesInMap(value, schema['x-kubernetes-list-map-keys'] ?? [], path));
    const items = schema.items;
    if (items) {
      for (const [i, item] of value.entries()) walk(item, items, `${path}[${i}]`, errors);
    }
    return;
  }
  if (!isObject(value)) return;
  const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value)) {
    const property = schema.properties?.[key] ?? values;
    if (property) walk(child, property, path ? `${path}.${key}` : key, errors);
  }
}

function duplicatesInSet(list: readonly unknown[], path: string): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  list.forEach((item, i) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) errors.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, value: item });
    seen.add(key);
  });
  return errors;
}

function duplicatesInMap(list: readonly unknown[], keys: readonly string[], path: string): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  list.forEach((item, i) => {
    if (!isObject(item)) return;
    const present = keys.filter((k) => item[k] !== undefined);
    const identity = JSON.stringify(keys.map((k) => item[k] ?? null));
    if (seen.has(identity)) {
      // Go prints the keys' map with its keys sorted.
      const entries = [...present].sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(item[k])}`);
      errors.push({
        type: 'FieldValueDuplicate',
        field: `${path}[${i}]`,
        goValue: `map[string]interface {}{${entries.join(', ')}}`,
      });
    }
    seen.add(identity);
  });
  return errors;
}
