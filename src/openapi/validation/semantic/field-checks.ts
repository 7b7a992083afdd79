/**
 * Small field rules shared by the semantic validators, worded as apimachinery's validation helpers word
 * them (InclusiveRangeError, ValidateNonnegativeField, NotSupported lists in Kubernetes' own order).
 */
import { validateName } from '../../../registry/names.ts';
import type { FieldError } from '../../../status.ts';

export type Json = Record<string, unknown>;

/** Object-valued entries of a list field (anything else was already rejected by decoding). */
export function entries(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((x): x is Json => x !== null && typeof x === 'object') : [];
}

export const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

export function portRange(field: string, port: unknown): FieldError[] {
  if (typeof port !== 'number' || (port >= 1 && port <= 65535)) return [];
  return [{ type: 'FieldValueInvalid', field, value: port, detail: 'must be between 1 and 65535, inclusive' }];
}

export function nonNegative(field: string, value: unknown): FieldError[] {
  if (typeof value !== 'number' || value >= 0) return [];
  return [{ type: 'FieldValueInvalid', field, value, detail: 'must be greater than or equal to 0' }];
}

/** A value outside `supported`; unset values are left to defaulting. */
export function oneOf(field: string, value: unknown, supported: readonly string[]): FieldError[] {
  if (!isSet(value) || supported.includes(value as string)) return [];
  return [{ type: 'FieldValueNotSupported', field, value, supported: [...supported] }];
}

export function required(field: string, value: unknown, detail?: string): FieldError[] {
  if (isSet(value) && !(Array.isArray(value) && value.length === 0)) return [];
  return [detail ? { type: 'FieldValueRequired', field, detail } : { type: 'FieldValueRequired', field }];
}

/** Duplicate values of `key` among `items` (at `path[i].key`). */
export function duplicates(path: string, items: readonly Json[], key: string, offset = 0): FieldError[] {
  const seen = new Set<unknown>();
  const errors: FieldError[] = [];
  items.forEach((item, i) => {
    const value = item[key];
    if (!isSet(value)) return;
    if (seen.has(value)) errors.push({ type: 'FieldValueDuplicate', field: `${path}[${i + offset}].${key}`, value });
    seen.add(value);
  });
  return errors;
}

/** A set value that must be an RFC 1123 label (container names, Service port names). */
export function dnsLabel(field: string, name: unknown): FieldError[] {
  if (!isSet(name)) return [];
  return validateName(String(name), 'label')
    .filter((e) => e.type === 'FieldValueInvalid')
    .map((e) => ({ ...e, field }));
}

const ianaServiceName = /^[-a-z0-9]+$/;

/** IsValidPortName: the IANA service-name rules a named port must follow. */
export function portName(field: string, name: unknown): FieldError[] {
  if (typeof name !== 'string' || name === '') return [];
  const problems: string[] = [];
  if (name.length > 15) problems.push('must be no more than 15 characters');
  if (!ianaServiceName.test(name))
    problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens');
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems.map((detail) => ({ type: 'FieldValueInvalid', field, value: name, detail }));
}

export const protocols = ['SCTP', 'TCP', 'UDP'] as const;
