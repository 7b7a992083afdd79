/**
 * The strategy of one served CRD version: everything its schema says, compiled once when the CRD is
 * (re)loaded — pruning of unknown fields (reported per fieldValidation), defaulting, value validation
 * (ajv), embedded-resource checks and x-kubernetes-validations rules, transition rules on update.
 * Order as in apiextensions: decode + prune, default, then validate.
 */
import { badRequest, type FieldError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import type { RequestContext, Strategy } from '../types.ts';
import { compileRules, evaluateRules, type RuleTree } from './cel-rules.ts';
import type { JSONSchemaProps } from './crd-types.ts';
import { applyDefaults, hasDefaults } from './defaulting.ts';
import { hasEmbeddedResources, validateEmbeddedResources } from './embedded-resources.ts';
import { prune } from './pruning.ts';
import { compileSchemaValidator, type SchemaValidator } from './schema-validator.ts';

export interface CompiledSchema {
  schema: JSONSchemaProps;
  validate: SchemaValidator;
  rules?: RuleTree;
  hasDefaults: boolean;
  hasEmbedded: boolean;
}

/** Compiles a version's schema; CRD validation has already refused schemas that do not compile. */
export function compileSchema(schema: JSONSchemaProps): CompiledSchema {
  const compiled: CompiledSchema = {
    schema,
    validate: compileSchemaValidator(schema),
    hasDefaults: hasDefaults(schema),
    hasEmbedded: hasEmbeddedResources(schema),
  };
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

function validateObject(compiled: CompiledSchema, object: KubeObject): FieldError[] {
  const errors = compiled.validate(object);
  if (compiled.hasEmbedded) errors.push(...validateEmbeddedResources(object, compiled.schema));
  if (compiled.rules && errors.length === 0) errors.push(...evaluateRules(compiled.rules, object, undefined, 'plain'));
  return errors;
}

export function customResourceStrategy(kind: string, version: string, compiled: CompiledSchema | undefined): Strategy {
  // A custom resource's /status write takes only status; metadata stays as stored (customresource statusStrategy).
  if (!compiled) return { tracksGeneration: true, statusResetsMetadata: 'all' };
  return {
    tracksGeneration: true,
    statusResetsMetadata: 'all',
    prepareForCreate: (object, context) => normalize(kind, version, compiled, object, context),
    prepareForUpdate: (object, _old, context) => normalize(kind, version, compiled, object, context),
    validate: (object) => validateObject(compiled, object),
    validateUpdate(object, old) {
      // Rules without oldSelf ran in validate; this pass runs those that compare with the stored object.
      return compiled.rules ? evaluateRules(compiled.rules, object, old, 'transition') : [];
    },
  };
}
