/**
 * Label selectors: the `labelSelector=` query syntax and metav1.LabelSelector from specs, compiled once
 * into a matcher. Grammar as in apimachinery labels.Parse: terms joined by ',' (AND), each one of
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>5`, `k<5`.
 */
import { badRequest } from '../status.ts';
import type { LabelSelector as LabelSelectorSpec } from '../types/meta.ts';
import { validateLabelKey, validateLabelValue } from './label-syntax.ts';

export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** True when the selector has no terms and so selects everything. */
  readonly isEmpty: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  toString(): string;
}

type Token = { kind: 'id'; text: string } | { kind: 'op'; text: string };

const operatorTokens = ['==', '!=', '=', '!', '(', ')', ',', '>', '<'];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const op = operatorTokens.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op });
      i += op.length;
      continue;
    }
    let j = i;
    while (
      j < input.length &&
      !' \t'.includes(input[j] as string) &&
      !operatorTokens.some((o) => input.startsWith(o, j))
    )
      j++;
    tokens.push({ kind: 'id', text: input.slice(i, j) });
    i = j;
  }
  return tokens;
}

function parseError(selector: string, why: string): Error {
  return badRequest(`unable to parse requirement: ${why}`.replace('%s', selector));
}

/** Parses a `labelSelector=` string; throws 400 BadRequest on syntax errors. */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  const requirements: LabelRequirement[] = [];
  const tokens = tokenize(selector ?? '');
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expectId = (what: string): string => {
    const t = next();
    if (t?.kind !== 'id') throw parseError(selector ?? '', `found '${t?.text ?? ''}', expected: ${what}`);
    return t.text;
  };
  while (pos < tokens.length) {
    let requirement: LabelRequirement;
    const first = peek();
    if (first?.kind === 'op' && first.text === '!') {
      next();
      requirement = { key: expectId("identifier after '!'"), operator: '!', values: [] };
    } else {
      const key = expectId('identifier');
      const op = peek();
      if (!op || (op.kind === 'op' && op.text === ',')) requirement = { key, operator: 'exists', values: [] };
      else requirement = parseOperation(key);
    }
    checkRequirement(requirement, selector ?? '');
    requirements.push(requirement);
    const sep = next();
    if (sep && !(sep.kind === 'op' && sep.text === ','))
      throw parseError(selector ?? '', `found '${sep.text}', expected: ',' or 'end of string'`);
    if (sep && pos >= tokens.length) throw parseError(selector ?? '', "found '', expected: identifier");
  }
  return compile(requirements);

  function parseOperation(key: string): LabelRequirement {
    const op = next() as Token;
    if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
      const open = next();
      if (open?.text !== '(') throw parseError(selector ?? '', `found '${open?.text ?? ''}', expected: '('`);
      // Values are the segments between commas; an empty segment is the empty value.
      const values: string[] = [''];
      for (;;) {
        const t = next();
        if (!t) throw parseError(selector ?? '', "found '', expected: ')'");
        if (t.kind === 'op' && t.text === ')') break;
        if (t.kind === 'op' && t.text === ',') values.push('');
        else if (t.kind === 'id' && values[values.length - 1] === '') values[values.length - 1] = t.text;
        else throw parseError(selector ?? '', `found '${t.text}', expected: ',', ')' or identifier`);
      }
      return { key, operator: op.text, values };
    }
    if (op.kind === 'op' && ['=', '==', '!=', '>', '<'].includes(op.text)) {
      const value = peek()?.kind === 'id' ? (next() as Token).text : '';
      const operator: LabelOperator = op.text === '!=' ? '!=' : op.text === '>' ? 'gt' : op.text === '<' ? 'lt' : '=';
      return { key, operator, values: [value] };
    }
    throw parseError(selector ?? '', `found '${op.text}', expected: '=', '!=', '==', 'in', notin'`);
  }
}

function checkRequirement(r: LabelRequirement, selector: string): void {
  const keyProblem = validateLabelKey(r.key);
  if (keyProblem) throw parseError(selector, `key: Invalid value: "${r.key}": ${keyProblem}`);
  if (r.operator === 'gt' || r.operator === 'lt') {
    if (!/^-?\d+$/.test(r.values[0] ?? '')) {
      throw parseError(selector, `for 'Gt', 'Lt' operators, the value must be an integer`);
    }
    return;
  }
  r.values.forEach((v, i) => {
    const problem = validateLabelValue(v);
    if (problem) throw parseError(selector, `values[${i}][${r.key}]: Invalid value: "${v}": ${problem}`);
  });
}

function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case '=':
    case 'in':
      return has && r.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value as string)) return false;
      const a = Number(value);
      const b = Number(r.values[0]);
      return r.operator === 'gt' ? a > b : a < b;
    }
  }
}

function requirementText(r: LabelRequirement): string {
  switch (r.operator) {
    case '=':
    case '!=':
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
  }
}

function compile(requirements: LabelRequirement[]): LabelSelector {
  const frozen = Object.freeze(requirements);
  return {
    requirements: frozen,
    isEmpty: frozen.length === 0,
    matches: (labels) => frozen.every((r) => matchesRequirement(r, labels ?? {})),
    toString: () => frozen.map(requirementText).join(','),
  };
}

const specOperators = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const;

/**
 * A selector from a spec (deployment.spec.selector). Like metav1.LabelSelectorAsSelector: matchLabels
 * sorted by key first, then matchExpressions; undefined selects nothing is NOT modelled here — callers
 * decide what a missing selector means.
 */
export function labelSelectorFromSpec(spec: LabelSelectorSpec | undefined): LabelSelector {
  const requirements: LabelRequirement[] = Object.entries(spec?.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, operator: '=' as const, values: [value] }));
  for (const e of spec?.matchExpressions ?? []) {
    requirements.push({ key: e.key, operator: specOperators[e.operator], values: [...(e.values ?? [])] });
  }
  return compile(requirements);
}
