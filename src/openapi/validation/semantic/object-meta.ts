/**
 * ObjectMeta rules every kind shares beyond the name (apimachinery ValidateObjectMeta): label keys and
 * values, annotation keys and their total size. Also used for pod templates' metadata.
 */
import { validateLabelKey, validateLabelValue } from '../../../selectors/label-syntax.ts';
import type { FieldError } from '../../../status.ts';
import type { ObjectMeta } from '../../../types/meta.ts';

/** 256 KiB: what all of an object's annotations may add up to (TotalAnnotationSizeLimitB). */
const annotationsSizeLimit = 256 * 1024;

export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (!labels || typeof labels !== 'object') return [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    const keyProblem = validateLabelKey(key);
    if (keyProblem) errors.push({ type: 'FieldValueInvalid', field, value: key, detail: keyProblem });
    const valueProblem = typeof value === 'string' ? validateLabelValue(value) : undefined;
    if (valueProblem) errors.push({ type: 'FieldValueInvalid', field, value, detail: valueProblem });
  }
  return errors;
}

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  if (!annotations || typeof annotations !== 'object') return [];
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
    // Annotation keys are qualified names compared case-insensitively.
    const problem = validateLabelKey(key.toLowerCase());
    if (problem) errors.push({ type: 'FieldValueInvalid', field, value: key, detail: problem });
    size += Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : '');
  }
  if (size > annotationsSizeLimit) {
    errors.push({ type: 'FieldValueTooLong', field, detail: `may not be more than ${annotationsSizeLimit} bytes` });
  }
  return errors;
}

/** Labels and annotations of `metadata` (at `path`, e.g. `spec.template.metadata`). */
export function validateObjectMeta(metadata: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  if (!metadata) return [];
  return [
    ...validateLabels(metadata.labels, `${path}.labels`),
    ...validateAnnotations(metadata.annotations, `${path}.annotations`),
  ];
}
