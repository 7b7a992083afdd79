/**
 * The strategy of one served CRD version: everything its schema says, compiled once when the CRD is
 * (re)loaded — pruning of unknown fields (reported per fieldValidation), defaulting, value validation
 * (ajv), embedded-resource checks and x-kubernetes-validations rules, transition rules on update.
 * Order as in apiextensions: decode + prune, default, then validate.
 */
import { badRequest, type FieldError, methodNotAllowed } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { deepEqual } from '../strategies/shared.ts';
import type { RequestContext, Strategy } from '../types.ts';
import { compileRules, evaluateRules, type RuleSelection, type RuleTree } from './cel-rules.ts';
import type { JSONSchemaProps, ScaleSubresource } from './crd-types.ts';
import { applyDefaults, hasDefaults } from './defaulting.ts';
import { hasEmbeddedResources, validateEmbeddedResources } from './embedded-resources.ts';
import { listTypeSchema, validateListTypes } from './list-types.ts';
import { prune } from './pruning.ts';
import { ratchet } from './ratcheting.ts';
import { validateScaleSpec, validateScaleStatus } from './scale-validation.ts';
import { compileSchemaValidator, type SchemaValidator } from './schema-validator.ts';

export interface CompiledSchema {
  schema: JSONSchemaProps;
  validate: SchemaValidator;
  rules?: RuleTree;
  hasDefaults: boolean;
  hasEmbedded: boolean;
  /** The branches of the schema with set or map lists (list-types.ts). */
  listTypes?: JSONSchemaProps;
}

/** Compiles a version's schema; CRD validation has already refused schemas that do not compile. */
export function compileSchema(schema: JSONSchemaProps): CompiledSchema {
  const compiled: CompiledSchema = {
    schema,
    validate: compileSchemaValidator(schema),
    hasDefaults: hasDefaults(schema),
    hasEmbedded: hasEmbeddedResources(schema),
  };
  const listTypes = listTypeSchema(schema);
  if (listTypes) compiled.listTypes = listTypes;
  const { tree } = compileRules(schema, '');
  if (tree) compiled.rules = tree;
  return compiled;
}

/** Prunes and defaults; unknown fields fail Strict requests (400) and warn under Warn (the default). */
function normalize(
  kind: string,
  version: string,
  compiled: CompiledSchema,
  object: KubeObject,
  context: RequestContext,
) {
  const dropped = prune(object as unknown as Record<string, unknown>, compiled.schema);
  if (dropped.length) {
    const mode = context.fieldValidation ?? 'Warn';
    if (mode === 'Strict') {
      throw badRequest(
        `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${dropped.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    if (mode === 'Warn') {
      context.warnings ??= [];
      for (const field of dropped) context.warnings.push(`unknown field "${field}"`);
    }
  }
  if (compiled.hasDefaults) applyDefaults(object, compiled.schema);
}

/**
 * Schema, embedded-resource, list-type and scale checks: everything that runs before the CEL rules.
 * On updates (`old` given) the schema's own errors ratchet; the scale checks do not.
 */
function schemaErrors(
  compiled: CompiledSchema | undefined,
  object: KubeObject,
  old: KubeObject | undefined,
  scaleErrors: FieldError[],
) {
  let errors = compiled ? compiled.validate(object) : [];
  if (compiled?.hasEmbedded) errors.push(...validateEmbeddedResources(object, compiled.schema));
  if (compiled?.listTypes) errors.push(...validateListTypes(object, compiled.listTypes));
  if (old && errors.length) errors = ratchet(errors, object, old);
  errors.push(...scaleErrors);
  return errors;
}

/**
 * A value of the wrong type or outside its enum keeps the rules from running: they would read it as
 * the schema's type (strategy.go hasBlockingErr, which adds one error saying so).
 */
const isBlocking = (e: FieldError) => e.type === 'FieldValueTypeInvalid' || e.type === 'FieldValueNotSupported';
const rulesNotChecked: FieldError = {
  type: 'FieldValueInvalid',
  field: '<nil>',
  value: 'null',
  detail:
    'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

/** Runs the selected rules after `errors`, unless one of those blocks them. */
function withRules(
  compiled: CompiledSchema | undefined,
  errors: FieldError[],
  object: KubeObject,
  old: KubeObject | undefined,
  selections: readonly RuleSelection[],
): FieldError[] {
  const rules = compiled?.rules;
  if (!rules) return errors;
  if (errors.some(isBlocking)) return selections.includes('plain') ? [...errors, rulesNotChecked] : errors;
  for (const selection of selections) errors.push(...evaluateRules(rules, object, old, selection));
  return errors;
}

/**
 * The strategy of one served version. With a status subresource a /status write keeps everything but
 * status from the stored object (status-update.ts) and is then pruned, defaulted and validated as a
 * whole, rules and transition rules included (customresource status_strategy.go). Updates ratchet:
 * errors about values they leave unchanged do not count (ratcheting.ts).
 */
export function customResourceStrategy(
  kind: string,
  version: string,
  compiled: CompiledSchema | undefined,
  options: { scale?: ScaleSubresource; isTerminating?: boolean } = {},
): Strategy {
  const { scale, isTerminating } = options;
  const normalizeIfSchema = (object: KubeObject, context: RequestContext) => {
    if (compiled) normalize(kind, version, compiled, object, context);
  };
  const statusChecks = (object: KubeObject) => validateScaleStatus(object, scale);
  const allScaleChecks = (object: KubeObject) => [...validateScaleSpec(object, scale), ...statusChecks(object)];
  return {
    tracksGeneration: true,
    // A custom resource's /status write takes only status; metadata stays as stored.
    statusResetsMetadata: 'all',
    prepareForCreate(object, context) {
      // crdHandler refuses creates before anything else once the CRD's cleanup has started.
      if (isTerminating) throw methodNotAllowed('create not allowed while custom resource definition is terminating');
      normalizeIfSchema(object, context);
    },
    prepareForUpdate(object, old, context) {
      normalizeIfSchema(object, context);
      // Any change outside metadata moves generation, status included when it has no subresource
      // (update.ts has already put the stored status back when it has one).
      if (!deepEqual(object.status, old.status)) object.metadata.generation = (old.metadata.generation ?? 0) + 1;
    },
    prepareForStatusUpdate: (object, _old, context) => normalizeIfSchema(object, context),
    validate: (object, old) =>
      withRules(compiled, schemaErrors(compiled, object, old, allScaleChecks(object)), object, old, ['plain']),
    validateUpdate(object, old) {
      // validate() ran the rules without oldSelf and reported a blocking error; this runs the others.
      if (!compiled?.rules || ratchet(compiled.validate(object), object, old).some(isBlocking)) return [];
      return evaluateRules(compiled.rules, object, old, 'transition');
    },
    validateStatusUpdate: (object, old) =>
      withRules(compiled, schemaErrors(compiled, object, old, statusChecks(object)), object, old, [
        'plain',
        'transition',
      ]),
  };
}
