/**
 * Object names: the per-kind validation rules with Kubernetes' messages, and generateName.
 */
import type { FieldError } from '../status.ts';
import type { Strategy } from './types.ts';

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const rules = {
  subdomain: {
    max: 253,
    pattern: subdomain,
    message:
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
  label: {
    max: 63,
    pattern: label,
    message:
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  dns1035: {
    max: 63,
    pattern: dns1035,
    message:
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  },
} as const;

/** Problems with `name` under the kind's rule, as causes on metadata.name. */
export function validateName(name: string | undefined, rule: Strategy['nameValidation'] = 'subdomain'): FieldError[] {
  if (!name)
    return [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }];
  const errors: FieldError[] = [];
  if (name === '.' || name === '..') {
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: `may not be '${name}'` });
  }
  for (const bad of ['/', '%']) {
    if (name.includes(bad))
      errors.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        value: name,
        detail: `may not contain '${bad}'`,
      });
  }
  if (rule === 'path' || errors.length) return errors;
  const r = rules[rule];
  if (name.length > r.max) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: name,
      detail: `must be no more than ${r.max} characters`,
    });
  }
  if (!r.pattern.test(name))
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: r.message });
  return errors;
}

/** No vowels, so generated suffixes never spell words (apiserver names.SimpleNameGenerator). */
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const suffixLength = 5;
/** 63 (max label length) minus the suffix, so generated names stay valid labels. */
const maxPrefixLength = 58;

/**
 * Attempts at finding a free generated name. With 27^5 ≈ 14M suffixes, 8 attempts fail only when a
 * prefix already has millions of objects (apiserver store.go uses the same bound).
 */
export const maxNameGenerationAttempts = 8;

export function generateName(prefix: string, random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < suffixLength; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return prefix.slice(0, maxPrefixLength) + suffix;
}
