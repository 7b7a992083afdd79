/**
 * Value validation of custom resources against a CRD version's schema: the schema is translated to
 * JSON Schema and compiled by ajv once per CRD version; ajv's errors become field errors worded as
 * kube-openapi's validator words them and converted as apiextensions' ValidateCustomResource converts
 * them (`spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0`).
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../../openapi/validation/ajv.ts';
import { schemaFormats } from '../../openapi/validation/string-formats.ts';
import type { FieldError } from '../../status.ts';
import type { JSONSchemaProps } from './crd-types.ts';

type Json = Record<string, unknown>;

let shared: Ajv | undefined;

/** One ajv for every CRD: its formats and the int-or-string keyword are registered once. */
function ajv(): Ajv {
  if (shared) return shared;
  // verbose: errors carry the offending value, which kube's messages quote.
  const instance = createAjv(schemaFormats, { verbose: true });
  instance.addKeyword({
    keyword: 'x-int-or-string',
    schemaType: 'boolean',
    errors: true,
    validate: (_schema: boolean, data: unknown) =>
      typeof data === 'string' || (typeof data === 'number' && Number.isInteger(data)),
  });
  shared = instance;
  return instance;
}

const copied = [
  'enum',
  'pattern',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
] as const;

/** The JSON Schema (draft-07) ajv checks; structure the pruner already enforces is left out. */
export function toJSONSchema(s: JSONSchemaProps): Json {
  const out: Json = {};
  if (s['x-kubernetes-int-or-string']) out['x-int-or-string'] = true;
  else if (s.type) out.type = s.nullable ? [s.type, 'null'] : s.type;
  if (s.format && schemaFormats[s.format] && s.type === 'string') out.format = s.format;
  for (const key of copied) if (s[key] !== undefined) out[key] = s[key];
  if (s.minimum !== undefined) out[s.exclusiveMinimum ? 'exclusiveMinimum' : 'minimum'] = s.minimum;
  if (s.maximum !== undefined) out[s.exclusiveMaximum ? 'exclusiveMaximum' : 'maximum'] = s.maximum;
  if (s.properties)
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toJSONSchema(v)]));
  if (typeof s.additionalProperties === 'object') out.additionalProperties = toJSONSchema(s.additionalProperties);
  if (s.items) out.items = toJSONSchema(s.items);
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[junctor];
    if (list) out[junctor] = list.map(toJSONSchema);
  }
  if (s.not) out.not = toJSONSchema(s.not);
  // Root metadata is ObjectMeta, validated by the registry; the schema may only restrict names.
  const metadata = out.properties && (out.properties as Json).metadata;
  if (metadata && typeof metadata === 'object') delete (metadata as Json).type;
  return out;
}

export type SchemaValidator = (object: unknown) => FieldError[];

/** Compiles once; the returned function checks one object. */
export function compileSchemaValidator(schema: JSONSchemaProps): SchemaValidator {
  const validate: ValidateFunction = ajv().compile(toJSONSchema(schema));
  return (object) => {
    if (validate(object)) return [];
    return toFieldErrors(validate.errors ?? [], object);
  };
}

/** `spec.items[0].name` from `/spec/items/0/name`, using the data to tell indexes from keys. */
function fieldPath(pointer: string, root: unknown): string {
  if (!pointer) return '';
  let path = '';
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) path += `[${segment}]`;
    else path += path ? `.${segment}` : segment;
    node = node && typeof node === 'object' ? (node as Json)[segment] : undefined;
  }
  return path;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const formatNumber = (n: unknown) => String(n);

/** Branch errors of anyOf/oneOf/not say nothing the junctor's own error does not. */
const isInsideJunctor = (e: ErrorObject) => /\/(anyOf|oneOf|not)\//.test(e.schemaPath);

function toFieldErrors(errors: readonly ErrorObject[], root: unknown): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (isInsideJunctor(e)) continue;
    const error = toFieldError(e, fieldPath(e.instancePath, root));
    const key = `${error.type}|${error.field}|${error.detail ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(error);
    }
  }
  return out;
}

function toFieldError(e: ErrorObject, path: string): FieldError {
  const name = path || '.';
  const params = e.params as Record<string, unknown>;
  const invalidWith = (detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field: path,
    value: e.data,
    detail: `${name} in body ${detail}`,
  });
  switch (e.keyword) {
    case 'type':
    case 'x-int-or-string': {
      const wanted = e.keyword === 'type' ? String(params.type).replace(',null', '') : 'integer,string';
      const actual = typeName(e.data);
      return {
        type: 'FieldValueTypeInvalid',
        field: path,
        value: actual,
        detail: `${name} in body must be of type ${wanted}: "${actual}"`,
      };
    }
    case 'format':
      return {
        type: 'FieldValueTypeInvalid',
        field: path,
        value: e.data,
        detail: `${name} in body must be of type ${String(params.format)}: ${JSON.stringify(e.data)}`,
      };
    case 'required': {
      const missing = String(params.missingProperty);
      return { type: 'FieldValueRequired', field: path ? `${path}.${missing}` : missing, detail: '' };
    }
    case 'enum':
      return {
        type: 'FieldValueNotSupported',
        field: path,
        value: e.data,
        supported: ((params.allowedValues as unknown[]) ?? []).map((v) =>
          typeof v === 'string' ? v : JSON.stringify(v),
        ),
      };
    case 'maxLength': {
      const limit = Number(params.limit);
      return {
        type: 'FieldValueTooLong',
        field: path,
        value: e.data,
        detail: `may not be more than ${limit} ${limit === 1 ? 'byte' : 'bytes'}`,
      };
    }
    case 'maxItems':
    case 'maxProperties': {
      const count = Array.isArray(e.data) ? e.data.length : Object.keys((e.data as Json) ?? {}).length;
      return {
        type: 'FieldValueTooMany',
        field: path,
        value: count,
        detail: `${count}: must have at most ${formatNumber(params.limit)} items`,
      };
    }
    case 'minLength':
      return invalidWith(`should be at least ${formatNumber(params.limit)} chars long`);
    case 'pattern':
      return invalidWith(`should match '${String(params.pattern)}'`);
    case 'minimum':
      return invalidWith(`should be greater than or equal to ${formatNumber(params.limit)}`);
    case 'exclusiveMinimum':
      return invalidWith(`should be greater than ${formatNumber(params.limit)}`);
    case 'maximum':
      return invalidWith(`should be less than or equal to ${formatNumber(params.limit)}`);
    case 'exclusiveMaximum':
      return invalidWith(`should be less than ${formatNumber(params.limit)}`);
    case 'multipleOf':
      return invalidWith(`should be a multiple of ${formatNumber(params.multipleOf)}`);
    case 'minItems':
      return invalidWith(`should have at least ${formatNumber(params.limit)} items`);
    case 'uniqueItems':
      return invalidWith(`shouldn't contain duplicates`);
    case 'minProperties':
      return invalidWith(`should have at least ${formatNumber(params.limit)} properties`);
    case 'oneOf':
      return invalidWith('must validate one and only one schema (oneOf)');
    case 'anyOf':
      return invalidWith('must validate at least one schema (anyOf)');
    case 'not':
      return invalidWith('must not validate the schema (not)');
    default:
      return invalidWith(e.message ?? 'is invalid');
  }
}
