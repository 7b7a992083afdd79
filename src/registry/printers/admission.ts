import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { record, records, text } from './fields.ts';
import { labelSelectorString } from './labels.ts';

/** Mutating and validating webhook configurations: how many webhooks each holds. */
export const webhookConfigurationPrinter: Printer = {
  columns: [nameColumn, column('Webhooks', 'integer', 'Number of webhooks in the configuration.'), ageColumn],
  row(configuration, now) {
    return [
      text(configuration, 'metadata', 'name'),
      records(configuration, 'webhooks').length,
      age(configuration, now),
    ];
  },
};

/** `apiVersion/kind` of the policy's parameter resource, or <unset>. */
function paramKindOf(policy: unknown): string {
  const paramKind = record(policy, 'spec', 'paramKind');
  if (Object.keys(paramKind).length === 0) return '<unset>';
  return `${text(paramKind, 'apiVersion')}/${text(paramKind, 'kind')}`;
}

export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    nameColumn,
    column('Validations', 'integer', 'Number of CEL validations in the policy.'),
    column('ParamKind', 'string', 'The kind of the parameter resource, if any.'),
    ageColumn,
  ],
  row(policy, now) {
    return [
      text(policy, 'metadata', 'name'),
      records(policy, 'spec', 'validations').length,
      paramKindOf(policy),
      age(policy, now),
    ];
  },
};

/** The parameter a binding points at: namespace/name (`*` for any namespace), a selector, or <unset>. */
function paramRefOf(binding: unknown): string {
  const paramRef = record(binding, 'spec', 'paramRef');
  if (Object.keys(paramRef).length === 0) return '<unset>';
  const name = text(paramRef, 'name');
  if (name) return `${text(paramRef, 'namespace') || '*'}/${name}`;
  const selector = record(paramRef, 'selector');
  if (Object.keys(selector).length > 0) return labelSelectorString(selector);
  return '<unset>';
}

export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    nameColumn,
    column('PolicyName', 'string', 'The policy this binding applies.'),
    column('ParamRef', 'string', 'The parameter resource passed to the policy.'),
    ageColumn,
  ],
  row(binding, now) {
    return [
      text(binding, 'metadata', 'name'),
      text(binding, 'spec', 'policyName'),
      paramRefOf(binding),
      age(binding, now),
    ];
  },
};
