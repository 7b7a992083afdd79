/**
 * Objects under x-kubernetes-embedded-resource must look like Kubernetes objects: apiVersion and
 * kind set (apiextensions objectmeta validation of embedded resources).
 */
import type { FieldError } from '../../status.ts';
import type { JSONSchemaProps } from './crd-types.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function hasEmbeddedResources(schema: JSONSchemaProps): boolean {
  if (schema['x-kubernetes-embedded-resource']) return true;
  return [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ].some(hasEmbeddedResources);
}

export function validateEmbeddedResources(value: unknown, schema: JSONSchemaProps, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) {
      value.forEach((item, i) => {
        errors.push(...validateEmbeddedResources(item, items, `${path}[${i}]`));
      });
    }
    return errors;
  }
  if (!isObject(value)) return errors;
  if (path && schema['x-kubernetes-embedded-resource']) {
    for (const field of ['apiVersion', 'kind']) {
      if (typeof value[field] !== 'string' || value[field] === '')
        errors.push({ type: 'FieldValueRequired', field: `${path}.${field}`, detail: 'must not be empty' });
    }
  }
  const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value)) {
    const property = schema.properties?.[key] ?? values;
    if (property) errors.push(...validateEmbeddedResources(child, property, path ? `${path}.${key}` : key));
  }
  return errors;
}
