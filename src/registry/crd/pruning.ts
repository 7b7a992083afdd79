/**
 * Pruning (apiextensions-apiserver pruning.go): fields a CRD schema does not specify are dropped from
 * custom resources before they are defaulted, validated and stored, unless the schema keeps them with
 * x-kubernetes-preserve-unknown-fields. apiVersion, kind and metadata survive at the root and in
 * embedded resources. The dropped paths are returned so fieldValidation can report them.
 */
import type { JSONSchemaProps } from './crd-types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeMeta = new Set(['apiVersion', 'kind', 'metadata']);

/** Prunes `object` in place; returns the dropped fields as `spec.foo`, `spec.items[0].bar`. */
export function prune(object: Json, schema: JSONSchemaProps): string[] {
  const dropped: string[] = [];
  pruneValue(object, schema, '', true, dropped);
  return dropped;
}

function pruneValue(value: unknown, schema: JSONSchemaProps, path: string, isResource: boolean, dropped: string[]) {
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((item, i) => {
        pruneValue(item, schema.items as JSONSchemaProps, `${path}[${i}]`, false, dropped);
      });
    return;
  }
  if (!isObject(value)) return;
  const keepsUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = isResource || schema['x-kubernetes-embedded-resource'] === true;
  const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const child = path ? `${path}.${key}` : key;
    const property = schema.properties?.[key] ?? values;
    if (property) {
      if (!(embedded && key === 'metadata')) pruneValue(value[key], property, child, false, dropped);
      continue;
    }
    if (keepsUnknown || schema.additionalProperties === true || (embedded && typeMeta.has(key))) continue;
    delete value[key];
    dropped.push(child);
  }
}
