/**
 * The texts Go's JSON decoding (sigs.k8s.io/json, as kube-apiserver uses it) gives for a body it cannot
 * decode, found by walking the catalog along the failing path:
 * `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32` names
 * the innermost struct, the JSON field path from the root without indexes or map keys, and the Go type.
 */
import { type Catalog, quantityDefinition } from '../catalog.ts';
import { refName, type Schema } from '../schema.ts';

/** resource.Quantity's UnmarshalJSON rejects anything ParseQuantity rejects with this text. */
export const quantityMessage =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

interface Located {
  schema: Schema;
  /** Definition the located schema is a property of: the innermost Go struct. */
  struct: string;
  /** JSON names from the root, skipping list indexes and map keys (Go's field stack). */
  fields: string[];
}

function referenced(catalog: Catalog, schema: Schema): { name?: string; schema: Schema } {
  const name = refName(schema.$ref ?? schema.allOf?.[0]?.$ref);
  const target = name === undefined ? undefined : catalog.definitions.get(name);
  return name && target ? { name, schema: target } : { schema };
}

const shortName = (definition: string) => definition.slice(definition.lastIndexOf('.') + 1);

/** Walks `segments` (decoded JSON pointer parts) from the kind's definition. */
function locate(catalog: Catalog, definition: string, segments: readonly string[]): Located | undefined {
  let schema = catalog.definitions.get(definition);
  let struct = shortName(definition);
  let current = definition;
  const fields: string[] = [];
  for (const segment of segments) {
    if (!schema) return undefined;
    const { name, schema: resolved } = referenced(catalog, schema);
    if (name) current = name;
    const property = resolved.properties?.[segment];
    if (property) {
      struct = shortName(current);
      fields.push(segment);
      schema = property;
    } else if (resolved.items) schema = resolved.items;
    else if (typeof resolved.additionalProperties === 'object') schema = resolved.additionalProperties;
    else return undefined;
  }
  return schema && { schema, struct, fields };
}

/** The Go type a schema decodes into, as reflect.Type.String() prints it (pointers are dereferenced). */
export function goTypeOf(schema: Schema): string {
  const ref = refName(schema.$ref ?? schema.allOf?.[0]?.$ref);
  if (ref === quantityDefinition) return 'resource.Quantity';
  if (ref) {
    const parts = ref.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  // IntOrString and Time decode their non-string forms through an inner int32 or string decode.
  if (schema['x-kubernetes-int-or-string'] === true) return 'int32';
  switch (schema.type) {
    case 'string':
      return schema.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return schema.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${schema.items ? goTypeOf(schema.items) : 'interface {}'}`;
    case 'object':
      return typeof schema.additionalProperties === 'object'
        ? `map[string]${goTypeOf(schema.additionalProperties)}`
        : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

/** How Go's decoder names a JSON value in UnmarshalTypeError: numbers into integers carry the literal. */
function jsonValueName(value: unknown, goType: string): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return /^u?int/.test(goType) ? `number ${String(value)}` : 'number';
    case 'boolean':
      return 'bool';
    case 'object':
      return 'object';
    default:
      return 'string';
  }
}

/** The decode error for a value of the wrong JSON type at `segments` below the kind's definition. */
export function typeErrorMessage(
  catalog: Catalog,
  definition: string,
  segments: readonly string[],
  value: unknown,
): string {
  const located = locate(catalog, definition, segments);
  if (!located) return `json: cannot unmarshal ${jsonValueName(value, '')} into Go value`;
  const goType = goTypeOf(located.schema);
  if (goType === 'resource.Quantity') return quantityMessage;
  const valueName = jsonValueName(value, goType);
  if (located.fields.length === 0) return `json: cannot unmarshal ${valueName} into Go value of type ${goType}`;
  return `json: cannot unmarshal ${valueName} into Go struct field ${located.struct}.${located.fields.join('.')} of type ${goType}`;
}

/** encoding/base64's CorruptInputError text for the first offending byte, as []byte fields report it. */
export function base64ErrorMessage(text: string): string {
  const alphabet = /[A-Za-z0-9+/]/;
  let position = 0;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\r' || ch === '\n') continue;
    if (ch === '=') break;
    if (!alphabet.test(ch)) return `illegal base64 data at input byte ${i}`;
    seen++;
    position = i + 1;
  }
  // A last quantum of one character (or bad padding) is reported where that quantum starts.
  return `illegal base64 data at input byte ${seen % 4 === 1 ? position - 1 : position}`;
}

/** True when Go's StdEncoding decodes `text` (newlines ignored, padding required). */
export function isBase64(text: string): boolean {
  const compact = text.replace(/[\r\n]/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}
