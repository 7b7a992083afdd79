/**
 * Values as Go's %#v prints them inside field errors, for the maps and structs whose printed form users
 * see in 422 messages (`spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"},
 * MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`). Go sorts map keys.
 */
import type { LabelSelector } from '../../../types/meta.ts';

const quote = (text: string) => JSON.stringify(text);

export function goStringMap(map: Readonly<Record<string, string>> | undefined | null): string {
  if (!map) return 'map[string]string(nil)';
  const entries = Object.keys(map)
    .sort()
    .map((k) => `${quote(k)}:${quote(String(map[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

function goStrings(values: readonly string[] | undefined): string {
  return values ? `[]string{${values.map(quote).join(', ')}}` : '[]string(nil)';
}

export function goLabelSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return 'nil';
  const expressions = selector.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${selector.matchExpressions
        .map(
          (r) =>
            `v1.LabelSelectorRequirement{Key:${quote(r.key)}, Operator:${quote(r.operator)}, Values:${goStrings(r.values)}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${expressions}}`;
}
