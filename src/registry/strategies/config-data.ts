/**
 * ConfigMaps and Secrets: `immutable: true` freezes data (and itself); Secrets default to type Opaque,
 * keep stringData only as data, and their type never changes (core validation ValidateConfigMapUpdate / ValidateSecretUpdate).
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

/**
 * stringData is write-only: decoding a v1 Secret folds each key into data (base64, winning over a data
 * key of the same name) and the stored object never has stringData.
 */
function mergeStringData(secret: KubeObject): void {
  const stringData = secret.stringData;
  if (stringData === undefined) return;
  delete secret.stringData;
  if (!stringData || typeof stringData !== 'object') return;
  const data = { ...(secret.data as Record<string, string> | undefined) };
  for (const [key, value] of Object.entries(stringData as Record<string, unknown>)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  secret.data = data;
}

export const secretStrategy: Strategy = {
  validate: (object) => validateConfigKeys(object, ['data', 'stringData']),
  defaults(object) {
    setDefault(object, 'type', 'Opaque');
    mergeStringData(object);
  },
  validateUpdate: (object, old) => [
    ...immutable('type', object.type, old.type),
    ...immutableDataErrors(object, old, ['data']),
  ],
};
