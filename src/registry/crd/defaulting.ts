/**
 * Structural defaulting (apiextensions-apiserver defaulting/algorithm.go): a missing field with a
 * `default` gets a copy of it, top-down, so defaults inside a defaulted object apply too. A null in a
 * field that is not nullable counts as missing; without a default it is dropped, as kube's
 * PruneNonNullableNullsWithoutDefaults does.
 */
import type { JSONSchemaProps } from './crd-types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True when some node of the schema carries a default or can hold a null to drop. */
export function hasDefaults(schema: JSONSchemaProps): boolean {
  if (schema.default !== undefined) return true;
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ];
  return children.some(hasDefaults);
}

/** Fills defaults into `value` in place. */
export function applyDefaults(value: unknown, schema: JSONSchemaProps): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) {
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null && !items.nullable && items.default !== undefined)
          value[i] = structuredClone(items.default);
        applyDefaults(value[i], items);
      }
    }
    return;
  }
  if (!isObject(value)) return;
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const current = value[key];
    if (current === undefined || (current === null && !property.nullable)) {
      if (property.default !== undefined) value[key] = structuredClone(property.default);
      else if (current === null) delete value[key];
    }
  }
  const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value)) {
    const property = schema.properties?.[key] ?? values;
    if (property) applyDefaults(child, property);
  }
}
