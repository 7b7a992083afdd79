/**
 * ConfigMaps and Secrets: `immutable: true` freezes data (and itself); Secrets default to type Opaque,
 * and their type never changes (core validation ValidateConfigMapUpdate / ValidateSecretUpdate).
 */

import { validateConfigKeys } from '../../openapi/validation/semantic/core-objects.ts';
import type { FieldError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import type { Strategy } from '../types.ts';
import { deepEqual, immutable, setDefault } from './shared.ts';

function immutableDataErrors(object: KubeObject, old: KubeObject, fields: readonly string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (object.immutable !== true) {
    errors.push({
      type: 'FieldValueForbidden',
      field: 'immutable',
      detail: 'field is immutable when `immutable` is set',
    });
  }
  for (const field of fields) {
    if (!deepEqual(object[field], old[field])) {
      errors.push({ type: 'FieldValueForbidden', field, detail: 'field is immutable when `immutable` is set' });
    }
  }
  return errors;
}

export const configMapStrategy: Strategy = {
  validate: (object) => validateConfigKeys(object, ['data', 'binaryData']),
  validateUpdate: (object, old) => immutableDataErrors(object, old, ['data', 'binaryData']),
};

export const secretStrategy: Strategy = {
  validate: (object) => validateConfigKeys(object, ['data', 'stringData']),
  defaults(object) {
    setDefault(object, 'type', 'Opaque');
  },
  validateUpdate: (object, old) => [
    ...immutable('type', object.type, old.type),
    ...immutableDataErrors(object, old, ['data']),
  ],
};
