/**
 * Turns client-node models into OpenAPI definitions: names from definition-names.ts, property types
 * from the generator's type text. The models flatten some upstream types, which come back here:
 * `Date` and `V1MicroTime` are date-time strings, `IntOrString` an int-or-string, `any` an object whose fields are kept
 * (RawExtension, FieldsV1) — or, inside JSONSchemaProps, any JSON value.
 */
import { definitionNames } from './definition-names.ts';
import type { Model, ModelProperty } from './models.ts';
import { definitionRef, type Schema } from './schema.ts';

const mapType = /^\{ \[key: string\]: (.+); \}$/;
const arrayType = /^Array<(.+)>$/;
const jsonSchemaProps = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';

interface Context {
  names: ReadonlyMap<string, string>;
  models: ReadonlyMap<string, Model>;
  definition: string;
}

function scalar(type: string, format: string): Schema | undefined {
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return format === 'int32' || format === 'int64'
        ? { type: 'integer', format }
        : { type: 'number', format: 'double' };
    // metav1.Time and MicroTime (the generator names it but has no model for it) are RFC 3339 strings.
    case 'Date':
    case 'V1MicroTime':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true };
    default:
      return undefined;
  }
}

function typeSchema(type: string, format: string, context: Context): Schema {
  const known = scalar(type, format);
  if (known) return known;
  if (type === 'any') {
    return context.definition === jsonSchemaProps
      ? { 'x-kubernetes-preserve-unknown-fields': true }
      : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  const array = arrayType.exec(type);
  if (array?.[1]) return { type: 'array', items: typeSchema(array[1], format, context) };
  const map = mapType.exec(type);
  if (map?.[1]) return { type: 'object', additionalProperties: typeSchema(map[1], format, context) };
  const name = context.names.get(type);
  return name ? { $ref: definitionRef(name) } : { type: 'object' };
}

function propertySchema(property: ModelProperty, context: Context): Schema {
  const schema = typeSchema(property.type, property.format, context);
  // The generator keeps no description on properties typed by another model; the model's own is the
  // best text left for `kubectl explain`.
  const description = property.description ?? context.models.get(property.type)?.description;
  return description ? { description, ...schema } : schema;
}

function modelSchema(model: Model, context: Context): Schema {
  const schema: Schema = {};
  if (model.description) schema.description = model.description;
  schema.type = 'object';
  const properties: Record<string, Schema> = {};
  for (const property of [...model.properties].sort((a, b) => a.name.localeCompare(b.name))) {
    properties[property.name] = propertySchema(property, context);
  }
  if (model.properties.length > 0) schema.properties = properties;
  const required = model.properties.filter((p) => p.isRequired).map((p) => p.name);
  if (required.length > 0) schema.required = required.sort();
  return schema;
}

/** One definition per named model, keyed by definition name. */
export function modelDefinitions(models: ReadonlyMap<string, Model>): Map<string, Schema> {
  const names = definitionNames(models);
  const definitions = new Map<string, Schema>();
  for (const [modelName, definition] of names) {
    const model = models.get(modelName);
    if (model && !definitions.has(definition))
      definitions.set(definition, modelSchema(model, { names, models, definition }));
  }
  return definitions;
}
