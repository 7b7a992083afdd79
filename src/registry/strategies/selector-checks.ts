/**
 * The selector rules of apps/v1 workloads (apps validation ValidateDeploymentSpec and friends): the
 * selector is required, must not be empty, must select the template's labels, and cannot change.
 */
import { goLabelSelector, goStringMap } from '../../openapi/validation/semantic/go-value.ts';
import { labelSelectorFromSpec } from '../../selectors/index.ts';
import type { FieldError } from '../../status.ts';
import type { KubeObject, LabelSelector } from '../../types/meta.ts';
import { immutable, valueAt } from './shared.ts';

export function selectorErrors(object: KubeObject): FieldError[] {
  const selector = valueAt(object, 'spec.selector') as LabelSelector | undefined;
  if (!selector) return [{ type: 'FieldValueRequired', field: 'spec.selector' }];
  if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        value: selector,
        detail: 'empty selector is invalid for deployment',
      },
    ];
  }
  const labels = (valueAt(object, 'spec.template.metadata.labels') ?? {}) as Record<string, string>;
  if (labelSelectorFromSpec(selector).matches(labels)) return [];
  return [
    {
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      value: labels,
      goValue: goStringMap(labels),
      detail: '`selector` does not match template `labels`',
    },
  ];
}

export function selectorUpdateErrors(object: KubeObject, old: KubeObject): FieldError[] {
  const selector = valueAt(object, 'spec.selector') as LabelSelector | undefined;
  return immutable('spec.selector', selector, valueAt(old, 'spec.selector')).map((e) => ({
    ...e,
    goValue: goLabelSelector(selector),
  }));
}
