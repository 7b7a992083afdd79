/**
 * Label and selector text as kube prints it (apimachinery labels.FormatLabels, metav1
 * LabelSelectorAsSelector(...).String()).
 */
import { records, stringMap, text, texts } from './fields.ts';

/** `a=1,b=2` with keys sorted; '<none>' for an empty map. */
export function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((key) => `${key}=${labels[key]}`).join(',');
}

/**
 * A metav1.LabelSelector in selector syntax, requirements sorted by key: `app=web,tier in (a,b),!legacy`.
 * '' for a missing or empty selector; '<invalid>' for an operator kube would reject.
 */
export function labelSelectorString(selector: unknown): string {
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(stringMap(selector, 'matchLabels'))) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expression of records(selector, 'matchExpressions')) {
    const key = text(expression, 'key');
    const values = [...new Set(texts(expression, 'values'))].sort().join(',');
    const operator = text(expression, 'operator');
    // kube rejects In/NotIn without values, and the printers then show an error marker.
    if ((operator === 'In' || operator === 'NotIn') && values === '') return '<invalid>';
    switch (operator) {
      case 'In':
        requirements.push({ key, text: `${key} in (${values})` });
        break;
      case 'NotIn':
        requirements.push({ key, text: `${key} notin (${values})` });
        break;
      case 'Exists':
        requirements.push({ key, text: key });
        break;
      case 'DoesNotExist':
        requirements.push({ key, text: `!${key}` });
        break;
      default:
        return '<invalid>';
    }
  }
  return requirements
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((requirement) => requirement.text)
    .join(',');
}

/** metav1.FormatLabelSelector: like labelSelectorString but '<none>' when it selects by nothing. */
export function formatLabelSelector(selector: unknown): string {
  const formatted = labelSelectorString(selector);
  if (formatted === '<invalid>') return '<error>';
  return formatted === '' ? '<none>' : formatted;
}
