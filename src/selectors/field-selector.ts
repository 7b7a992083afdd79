/**
 * Field selectors (`fieldSelector=`): terms joined by ',' (AND), each `field=value`, `field==value` or
 * `field!=value`. Backslash escapes ',', '=' and '!' in values, as apimachinery fields.EscapeValue does.
 */
import { badRequest } from '../status.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly isEmpty: boolean;
  /** `get` returns the object's value for a field the requirements name. */
  matches(get: (field: string) => string | undefined): boolean;
  /** The value a term requires for `field` with `=`, when there is one (used to narrow lists). */
  exactValue(field: string): string | undefined;
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i] as string;
    if (c === '\\' && i + 1 < selector.length) {
      current += c + (selector[i + 1] as string);
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else current += c;
  }
  terms.push(current);
  return terms;
}

function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function parseTerm(term: string): FieldRequirement {
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '!' && term[i + 1] === '=')
      return { field: term.slice(0, i).trim(), operator: '!=', value: unescapeValue(term.slice(i + 2)) };
    if (c === '=') {
      const skip = term[i + 1] === '=' ? 2 : 1;
      return { field: term.slice(0, i).trim(), operator: '=', value: unescapeValue(term.slice(i + skip)) };
    }
  }
  throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
}

/** Parses a `fieldSelector=` string; throws 400 BadRequest on syntax errors. */
export function parseFieldSelector(selector: string | undefined): FieldSelector {
  const requirements =
    (selector ?? '').trim() === ''
      ? []
      : splitTerms(selector as string)
          .filter((t) => t !== '')
          .map(parseTerm);
  return {
    requirements,
    isEmpty: requirements.length === 0,
    matches: (get) =>
      requirements.every((r) => {
        const v = get(r.field) ?? '';
        return r.operator === '=' ? v === r.value : v !== r.value;
      }),
    exactValue: (field) => requirements.find((r) => r.field === field && r.operator === '=')?.value,
  };
}
