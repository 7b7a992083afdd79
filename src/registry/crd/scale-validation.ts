/**
 * The checks a CRD's scale subresource adds to every write of its objects (apiextensions'
 * customResourceValidator ValidateScaleSpec / ValidateScaleStatus): the replicas it names must be
 * non-negative int32 integers and the label selector a string. Paths keep their leading dot in the
 * message, as kube builds the field path from the JSONPath verbatim:
 * `.spec.replicas: Invalid value: -1: should be a non-negative integer`. A missing field passes.
 */
import type { FieldError } from '../../status.ts';
import type { ScaleSubresource } from './crd-types.ts';
import { valueAtPath } from './scale-paths.ts';

const maxInt32 = 2147483647;

/** unstructured's accessor errors name the path with one leading dot. */
const dotted = (path: string) => `.${path.replace(/^\./, '')}`;
/** Go's %T of a decoded JSON value. */
function goType(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  return typeof value === 'object' ? 'map[string]interface {}' : typeof value;
}
/** Go's %v: strings bare, numbers and booleans as written, the rest as JSON. */
const goText = (value: unknown) => (typeof value === 'object' ? JSON.stringify(value) : String(value));

function replicasErrors(object: unknown, path: string): FieldError[] {
  const value = valueAtPath(object, path);
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    const detail = `${dotted(path)} accessor error: ${goText(value)} is of the type ${goType(value)}, expected int64`;
    return [{ type: 'FieldValueInvalid', field: path, value: 0, detail }];
  }
  if (value < 0) return [{ type: 'FieldValueInvalid', field: path, value, detail: 'should be a non-negative integer' }];
  if (value > maxInt32)
    return [{ type: 'FieldValueInvalid', field: path, value, detail: `should be less than or equal to ${maxInt32}` }];
  return [];
}

/** Spec replicas: checked on create and on updates of the main resource. */
export function validateScaleSpec(object: unknown, scale: ScaleSubresource | undefined): FieldError[] {
  return scale ? replicasErrors(object, scale.specReplicasPath) : [];
}

/** Status replicas and the selector: checked on every write, /status included. */
export function validateScaleStatus(object: unknown, scale: ScaleSubresource | undefined): FieldError[] {
  if (!scale) return [];
  const errors = replicasErrors(object, scale.statusReplicasPath);
  if (scale.labelSelectorPath) {
    const selector = valueAtPath(object, scale.labelSelectorPath);
    if (selector !== undefined && selector !== null && typeof selector !== 'string') {
      errors.push({
        type: 'FieldValueInvalid',
        field: scale.labelSelectorPath,
        value: '',
        detail: `${dotted(scale.labelSelectorPath)} accessor error: ${goText(selector)} is of the type ${goType(selector)}, expected string`,
      });
    }
  }
  return errors;
}
