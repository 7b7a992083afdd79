/**
 * x-kubernetes-validations: CEL rules compiled once per CRD version (@marcbachmann/cel-js) and
 * evaluated with `self` bound to the value at the rule's node and, on updates, `oldSelf` to the stored
 * value at the same place. Rules that name oldSelf are transition rules: they only run when an old
 * value exists (or with optionalOldSelf). Failures read as kube's do:
 * `spec: Invalid value: "object": <message>`, with `<nil>` for rules at the root.
 */
import { parse } from '@marcbachmann/cel-js';
import type { FieldError } from '../../status.ts';
import { deepEqual } from '../strategies/shared.ts';
import type { JSONSchemaProps, ValidationRule } from './crd-types.ts';

type Json = Record<string, unknown>;
type Program = ReturnType<typeof parse>;

interface CompiledRule {
  rule: ValidationRule;
  program: Program;
  message?: Program;
  isTransition: boolean;
}

/** The rules of one schema node and of the nodes below it that have any. */
export interface RuleTree {
  schema: JSONSchemaProps;
  rules: CompiledRule[];
  properties: Map<string, RuleTree>;
  items?: RuleTree;
  values?: RuleTree;
}

const mentionsOldSelf = (expression: string) => /\boldSelf\b/.test(expression);
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface RuleCompileResult {
  tree?: RuleTree;
  errors: FieldError[];
}

/** Compiles every rule under `schema`; `path` names the schema in errors (`spec.versions[0]…`). */
export function compileRules(schema: JSONSchemaProps, path: string): RuleCompileResult {
  const errors: FieldError[] = [];
  const tree = compileNode(schema, path, errors);
  return tree ? { tree, errors } : { errors };
}

function compileProgram(expression: string, field: string, errors: FieldError[]): Program | undefined {
  try {
    const program = parse(expression);
    const checked = program.check();
    if (!checked.valid) throw checked.error ?? new Error('type check failed');
    return program;
  } catch (err) {
    errors.push({
      type: 'FieldValueInvalid',
      field,
      value: expression,
      detail: `compilation failed: ERROR: <input>: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    });
    return undefined;
  }
}

function compileNode(schema: JSONSchemaProps, path: string, errors: FieldError[]): RuleTree | undefined {
  const rules: CompiledRule[] = [];
  (schema['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    const program = compileProgram(rule.rule, `${at}.rule`, errors);
    const message = rule.messageExpression
      ? compileProgram(rule.messageExpression, `${at}.messageExpression`, errors)
      : undefined;
    if (!program) return;
    const compiled: CompiledRule = { rule, program, isTransition: mentionsOldSelf(rule.rule) };
    if (message) compiled.message = message;
    rules.push(compiled);
  });
  const properties = new Map<string, RuleTree>();
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const child = compileNode(property, `${path}.properties[${key}]`, errors);
    if (child) properties.set(key, child);
  }
  const items = schema.items ? compileNode(schema.items, `${path}.items`, errors) : undefined;
  const values =
    typeof schema.additionalProperties === 'object'
      ? compileNode(schema.additionalProperties, `${path}.additionalProperties`, errors)
      : undefined;
  if (rules.length === 0 && properties.size === 0 && !items && !values) return undefined;
  const tree: RuleTree = { schema, rules, properties };
  if (items) tree.items = items;
  if (values) tree.values = values;
  return tree;
}

/** JSON as CEL sees it: integers of integer fields are CEL ints (BigInt), other numbers doubles. */
function toCEL(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (typeof value === 'number') {
    const isInt =
      schema?.type === 'integer' || schema?.['x-kubernetes-int-or-string'] || (!schema && Number.isInteger(value));
    return isInt && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCEL(item, schema?.items));
  if (isObject(value)) {
    const values = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const keepsUnknown = schema?.['x-kubernetes-preserve-unknown-fields'] === true;
    const out: Json = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = toCEL(child, schema?.properties?.[key] ?? values ?? (keepsUnknown ? undefined : undefined));
    }
    return out;
  }
  return value;
}

/** The list item of `old` that corresponds to `item` (map lists by their keys); else none. */
function correlatedItem(tree: RuleTree, item: unknown, old: unknown): unknown {
  const keys = tree.schema['x-kubernetes-list-map-keys'];
  if (tree.schema['x-kubernetes-list-type'] !== 'map' || !keys?.length || !Array.isArray(old) || !isObject(item))
    return undefined;
  return old.find((o) => isObject(o) && keys.every((k) => o[k] === item[k]));
}

/**
 * 'plain': rules without oldSelf (create and update; on update they skip unchanged values, as
 * CRDValidationRatcheting does); 'transition': rules with oldSelf (update only, never ratcheted).
 */
export type RuleSelection = 'plain' | 'transition';

/** Runs the selected rules; `old` is the stored object on update, undefined on create. */
export function evaluateRules(tree: RuleTree, value: unknown, old: unknown, selection: RuleSelection): FieldError[] {
  const errors: FieldError[] = [];
  const run = { selection, errors };
  evaluateNode(run, tree, value, old, old !== undefined, '');
  return errors;
}

interface Run {
  selection: RuleSelection;
  errors: FieldError[];
}

function evaluateNode(run: Run, tree: RuleTree, value: unknown, old: unknown, hasOld: boolean, path: string) {
  if (value === undefined || value === null) return;
  // Ratcheting: rules without oldSelf do not judge a value the update left as it was, nor its children.
  if (run.selection === 'plain' && hasOld && deepEqual(value, old)) return;
  if (tree.rules.length) runRules(run, tree, value, old, hasOld, path);
  if (Array.isArray(value) && tree.items) {
    value.forEach((item, i) => {
      const previous = hasOld ? correlatedItem(tree, item, old) : undefined;
      evaluateNode(run, tree.items as RuleTree, item, previous, previous !== undefined, `${path}[${i}]`);
    });
    return;
  }
  if (!isObject(value)) return;
  const oldObject = hasOld && isObject(old) ? old : undefined;
  for (const [key, child] of tree.properties) {
    const hasChildOld = oldObject !== undefined && oldObject[key] !== undefined;
    evaluateNode(run, child, value[key], oldObject?.[key], hasChildOld, path ? `${path}.${key}` : key);
  }
  if (tree.values) {
    for (const [key, child] of Object.entries(value)) {
      if (tree.schema.properties?.[key]) continue;
      const hasChildOld = oldObject !== undefined && oldObject[key] !== undefined;
      evaluateNode(run, tree.values, child, oldObject?.[key], hasChildOld, path ? `${path}.${key}` : key);
    }
  }
}

function runRules(run: Run, tree: RuleTree, value: unknown, old: unknown, hasOld: boolean, path: string) {
  const { errors } = run;
  const self = toCEL(value, tree.schema);
  const context: Json = { self };
  if (hasOld) context.oldSelf = toCEL(old, tree.schema);
  for (const compiled of tree.rules) {
    if (compiled.isTransition !== (run.selection === 'transition')) continue;
    if (compiled.isTransition && !hasOld && !compiled.rule.optionalOldSelf) continue;
    const field = `${path}${compiled.rule.fieldPath ?? ''}` || '<nil>';
    let outcome: unknown;
    try {
      outcome = compiled.program(context);
    } catch (err) {
      errors.push({
        type: 'FieldValueInvalid',
        field,
        value: schemaType(tree.schema),
        detail: `rule evaluation error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      });
      continue;
    }
    if (outcome === true) continue;
    errors.push(failure(compiled, context, field, schemaType(tree.schema)));
  }
}

function schemaType(schema: JSONSchemaProps): string {
  return schema.type ?? (schema['x-kubernetes-int-or-string'] ? 'integer-or-string' : 'object');
}

function failure(compiled: CompiledRule, context: Json, field: string, type: string): FieldError {
  let detail = compiled.rule.message || `failed rule: ${compiled.rule.rule}`;
  if (compiled.message) {
    try {
      const text = compiled.message(context);
      if (typeof text === 'string' && text.trim() !== '') detail = text;
    } catch {
      // kube falls back to message (or the rule) when messageExpression fails.
    }
  }
  switch (compiled.rule.reason) {
    case 'FieldValueForbidden':
      return { type: 'FieldValueForbidden', field, detail };
    case 'FieldValueRequired':
      return { type: 'FieldValueRequired', field, detail };
    case 'FieldValueDuplicate':
      return { type: 'FieldValueDuplicate', field, value: type, detail };
    default:
      return { type: 'FieldValueInvalid', field, value: type, detail };
  }
}
