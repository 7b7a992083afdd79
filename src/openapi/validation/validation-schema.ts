/**
 * The catalog's definitions as ajv (draft-07) schemas that check what decoding a request body checks on
 * a real server: the JSON type of every field (Go's typed decoding), Quantities and base64 bytes (their
 * UnmarshalJSON), and fields the type does not have (strict decoding). `required` and `enum` are left
 * out on purpose: on a real server they are validation (422, after defaulting) with per-field wording,
 * which the semantic validators give.
 */
import { quantityDefinition } from '../catalog.ts';
import { refName, type Schema } from '../schema.ts';

export type ValidationSchema = Record<string, unknown>;

/** Go decodes `null` into any field as its zero value, so every type also accepts null. */
const orNull = (...types: string[]) => [...types, 'null'];

/** Formats this module registers with ajv (see decode-validator.ts). */
export const quantityFormat = 'k8s-quantity';
export const byteFormat = 'k8s-byte';

const quantity: ValidationSchema = { type: orNull('string', 'number'), format: quantityFormat };

function preservesUnknownFields(schema: Schema): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

/** One property or item schema. References stay references into the shared `definitions`. */
export function toValidationSchema(schema: Schema): ValidationSchema {
  const ref = refName(schema.$ref ?? schema.allOf?.[0]?.$ref);
  if (ref === quantityDefinition) return quantity;
  if (ref) return { $ref: `#/definitions/${ref}` };
  if (schema['x-kubernetes-int-or-string'] === true) return { type: orNull('integer', 'string') };
  switch (schema.type) {
    case 'string':
      return schema.format === 'byte' ? { type: orNull('string'), format: byteFormat } : { type: orNull('string') };
    case 'integer':
    case 'number':
    case 'boolean':
      return { type: orNull(schema.type) };
    case 'array':
      return schema.items
        ? { type: orNull('array'), items: toValidationSchema(schema.items) }
        : { type: orNull('array') };
    case 'object':
      return objectSchema(schema);
    default:
      // No type: free-form JSON (apiextensions JSON, RawExtension), anything goes.
      return {};
  }
}

function objectSchema(schema: Schema): ValidationSchema {
  // A bare `type: object` says nothing checkable.
  if (!schema.properties && typeof schema.additionalProperties !== 'object') return {};
  const out: ValidationSchema = { type: orNull('object') };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([field, property]) => [field, toValidationSchema(property)]),
    );
    if (!preservesUnknownFields(schema)) out.additionalProperties = false;
  } else if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = toValidationSchema(schema.additionalProperties);
  }
  return out;
}

/** Every definition converted, for one ajv root schema that kinds reference into. */
export function toValidationDefinitions(definitions: ReadonlyMap<string, Schema>): Record<string, ValidationSchema> {
  const out: Record<string, ValidationSchema> = {};
  for (const [name, schema] of definitions) {
    out[name] = name === quantityDefinition ? quantity : toValidationSchema(schema);
  }
  return out;
}
