/**
 * Structural-schema checks for a CRD version's openAPIV3Schema (apiextensions-apiserver
 * schema/validation.go ValidateStructural): every field says its type outside of value validations,
 * anyOf/allOf/oneOf/not only restrict values, metadata at the root restricts name and generateName only,
 * and the int-or-string and embedded-resource extensions are used consistently. Causes carry the same
 * paths and details as kube's (`…properties[spec].type: Required value: must not be empty for specified
 * object fields`), sorted by their text as kube sorts them.
 */
import { type FieldError, formatFieldError } from '../../status.ts';
import type { JSONSchemaProps } from './crd-types.ts';

type Level = 'root' | 'item' | 'field';

const required = (field: string, detail: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});

const emptyTypeDetail: Record<Level, string> = {
  root: 'must not be empty at the root',
  item: 'must not be empty for specified array items',
  field: 'must not be empty for specified object fields',
};

const isIntOrStringPair = (list: JSONSchemaProps[] | undefined): boolean =>
  list?.length === 2 &&
  list[0]?.type === 'integer' &&
  Object.keys(list[0]).length === 1 &&
  list[1]?.type === 'string' &&
  Object.keys(list[1]).length === 1;

/** Errors of a version's schema; `path` is e.g. `spec.versions[0].schema.openAPIV3Schema`. */
export function validateStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const errors = invariants(schema, 'root', path);
  return errors.sort((a, b) => formatFieldError(a).localeCompare(formatFieldError(b)));
}

function invariants(s: JSONSchemaProps, level: Level, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (s.type === 'array' && !s.items) errors.push(required(`${path}.items`, 'must be specified'));
  if (s.items) errors.push(...invariants(s.items, 'item', `${path}.items`));
  for (const [key, property] of Object.entries(s.properties ?? {})) {
    errors.push(...invariants(property, 'field', `${path}.properties[${key}]`));
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== true) {
    if (level === 'root') errors.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (typeof s.additionalProperties === 'object')
      errors.push(...invariants(s.additionalProperties, 'field', `${path}.additionalProperties`));
  }
  if (s.properties && typeof s.additionalProperties === 'object') {
    errors.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve)
    errors.push(
      invalidValue(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  if (intOrString && embedded)
    errors.push(
      invalidValue(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  if (s['x-kubernetes-preserve-unknown-fields'] === false)
    errors.push(invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  errors.push(...valueValidation(s, level, path, intOrString));
  if (embedded && s.type !== 'object') {
    if (!s.type) errors.push(required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else errors.push(invalidValue(`${path}.type`, s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !intOrString && !preserve) {
    errors.push(required(`${path}.type`, emptyTypeDetail[level]));
  }
  if (embedded && typeof s.additionalProperties === 'object')
    errors.push(forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  if (level === 'root' && s.type && s.type !== 'object')
    errors.push(invalidValue(`${path}.type`, s.type, 'must be object at the root'));
  const checksMetadata = level === 'root' || embedded;
  for (const field of ['kind', 'apiVersion'] as const) {
    const property = s.properties?.[field];
    if (property && checksMetadata && property.type !== 'string')
      errors.push(invalidValue(`${path}.properties[${field}].type`, property.type ?? '', 'must be string'));
  }
  const metadata = s.properties?.metadata;
  if (metadata) errors.push(...metadataInvariants(metadata, checksMetadata, level, `${path}.properties[metadata]`));
  if (embedded && !preserve && Object.keys(s.properties ?? {}).length === 0)
    errors.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  return errors;
}

function metadataInvariants(s: JSONSchemaProps, checks: boolean, level: Level, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (checks && s.type !== 'object') errors.push(invalidValue(`${path}.type`, s.type ?? '', 'must be object'));
  if (level !== 'root') return errors;
  const { type: _type, default: _default, properties, ...rest } = s;
  const names = Object.keys(properties ?? {});
  const onlyNames = names.every((n) => n === 'name' || n === 'generateName');
  // The name rules a CRD may add are plain string restrictions; anything else about metadata is kube's.
  const plain = (p: JSONSchemaProps | undefined) => !p || Object.keys(p).every((k) => k !== 'properties');
  if (Object.keys(rest).length > 0 || !onlyNames || !plain(properties?.name) || !plain(properties?.generateName)) {
    errors.push(
      forbidden(
        path,
        'must not specify anything other than name and generateName, but metadata is implicitly specified',
      ),
    );
  }
  return errors;
}

/** anyOf/allOf/oneOf/not may only restrict values (the `intOrString` pair excepted); patterns compile. */
function valueValidation(s: JSONSchemaProps, level: Level, path: string, intOrString: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const skipAnyOf = isIntOrStringPair(s.anyOf);
  const skipFirstAllOf = isIntOrStringPair(s.allOf?.[0]?.anyOf);
  if (!skipAnyOf)
    s.anyOf?.forEach((n, i) => {
      errors.push(...nested(n, level, `${path}.anyOf[${i}]`, false));
    });
  s.allOf?.forEach((n, i) => {
    errors.push(...nested(n, level, `${path}.allOf[${i}]`, skipFirstAllOf && i === 0));
  });
  s.oneOf?.forEach((n, i) => {
    errors.push(...nested(n, level, `${path}.oneOf[${i}]`, false));
  });
  if (s.not) errors.push(...nested(s.not, level, `${path}.not`, false));
  if (s.pattern !== undefined && !compiles(s.pattern)) {
    errors.push(
      invalidValue(`${path}.pattern`, s.pattern, "must be a valid regular expression, but isn't: error parsing regexp"),
    );
  }
  if (intOrString && s.type) {
    errors.push(forbidden(`${path}.type`, 'must be empty if x-kubernetes-int-or-string is true'));
  }
  return errors;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const mustBeUndefined: readonly [keyof JSONSchemaProps, string][] = [
  ['type', 'must be empty to be structural'],
  ['default', 'must be undefined to be structural'],
  ['title', 'must be empty to be structural'],
  ['description', 'must be empty to be structural'],
  ['externalDocs', 'must be undefined to be structural'],
  ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', 'must be false to be structural'],
  ['x-kubernetes-int-or-string', 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
  ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ['x-kubernetes-map-type', 'must be undefined to be structural'],
  ['x-kubernetes-validations', 'must be empty to be structural'],
];

/** A schema under a logical junctor: value validations only (apiextensions validateNestedValueValidation). */
function nested(s: JSONSchemaProps, level: Level, path: string, skipAnyOf: boolean): FieldError[] {
  const errors: FieldError[] = [];
  errors.push(...valueValidation(skipAnyOf ? { ...s, anyOf: undefined } : s, level, path, false));
  if (s.items) errors.push(...nested(s.items, level, `${path}.items`, false));
  for (const [key, property] of Object.entries(s.properties ?? {})) {
    errors.push(...nested(property, 'field', `${path}.properties[${key}]`, false));
  }
  for (const [key, detail] of mustBeUndefined) {
    const value = s[key];
    if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0))
      errors.push(forbidden(`${path}.${key}`, detail));
  }
  if (s.nullable) errors.push(forbidden(`${path}.nullable`, 'must be false to be structural'));
  if (s.additionalProperties !== undefined)
    errors.push(forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  if (s.properties?.metadata)
    errors.push(forbidden(`${path}.properties[metadata]`, 'must not be specified in a nested context'));
  return errors;
}
