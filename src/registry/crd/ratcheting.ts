/**
 * Validation ratcheting (CRDValidationRatcheting, on by default since Kubernetes 1.30): on an update,
 * a schema error about a value the update did not change is dropped, so tightening a CRD's schema
 * does not lock its existing objects — they stay writable as long as the invalid values stay as they
 * are. A missing required field that was missing before counts as unchanged.
 */
import type { FieldError } from '../../status.ts';
import { deepEqual } from '../strategies/shared.ts';

type Json = Record<string, unknown>;

/** `spec.ports[0].port` (or `.status.replicas`) as segments: keys, and indexes as numbers. */
function segmentsOf(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.replace(/^\./, '').split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [];
    if (match[1]) out.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

function valueAt(object: unknown, segments: readonly (string | number)[]): unknown {
  let node = object;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Json)[segment];
  }
  return node;
}

/** The errors that still count on an update from `old`. */
export function ratchet(errors: FieldError[], object: unknown, old: unknown): FieldError[] {
  return errors.filter((e) => {
    // Errors about the whole object (`<nil>`, the root) always count.
    const segments = e.field === '<nil>' ? [] : segmentsOf(e.field);
    if (segments.length === 0) return true;
    return !deepEqual(valueAt(object, segments), valueAt(old, segments));
  });
}
