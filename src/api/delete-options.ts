/**
 * DeleteOptions of a DELETE: from the body when there is one (kubectl sends JSON without kind/apiVersion,
 * helm an empty body), otherwise from the query (client-node) — apiserver's delete handler reads one or
 * the other, never both. Validated as ValidateDeleteOptions: 422 on DeleteOptions.meta.k8s.io.
 */

import { badRequest, type FieldError, invalid } from '../status.ts';
import type { DeleteOptions } from '../types/meta.ts';
import { dryRunParam, integerParam, isTrue } from './query.ts';

const propagationPolicies = ['Foreground', 'Background', 'Orphan'] as const;
type PropagationPolicy = (typeof propagationPolicies)[number];

function typeError(field: string, goType: string, value: unknown): never {
  const jsonType = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'boolean'
        ? 'bool'
        : typeof value;
  throw badRequest(`json: cannot unmarshal ${jsonType} into Go struct field DeleteOptions.${field} of type ${goType}`);
}

function fromBody(body: Record<string, unknown>): DeleteOptions {
  const options: DeleteOptions = {};
  const { gracePeriodSeconds, propagationPolicy, orphanDependents, preconditions, dryRun } = body;
  if (gracePeriodSeconds !== undefined && gracePeriodSeconds !== null) {
    if (typeof gracePeriodSeconds !== 'number' || !Number.isInteger(gracePeriodSeconds)) {
      typeError('gracePeriodSeconds', 'int64', gracePeriodSeconds);
    }
    options.gracePeriodSeconds = gracePeriodSeconds;
  }
  if (propagationPolicy !== undefined && propagationPolicy !== null) {
    if (typeof propagationPolicy !== 'string')
      typeError('propagationPolicy', 'v1.DeletionPropagation', propagationPolicy);
    options.propagationPolicy = propagationPolicy as PropagationPolicy;
  }
  if (orphanDependents !== undefined && orphanDependents !== null) {
    if (typeof orphanDependents !== 'boolean') typeError('orphanDependents', 'bool', orphanDependents);
    options.orphanDependents = orphanDependents;
  }
  if (preconditions !== undefined && preconditions !== null) {
    if (typeof preconditions !== 'object' || Array.isArray(preconditions)) {
      typeError('preconditions', 'v1.Preconditions', preconditions);
    }
    const { uid, resourceVersion } = preconditions as Record<string, unknown>;
    const p: NonNullable<DeleteOptions['preconditions']> = {};
    if (uid !== undefined && uid !== null) {
      if (typeof uid !== 'string') typeError('preconditions.uid', 'types.UID', uid);
      p.uid = uid;
    }
    if (resourceVersion !== undefined && resourceVersion !== null) {
      if (typeof resourceVersion !== 'string') typeError('preconditions.resourceVersion', 'string', resourceVersion);
      p.resourceVersion = resourceVersion;
    }
    options.preconditions = p;
  }
  if (dryRun !== undefined && dryRun !== null) {
    if (!Array.isArray(dryRun) || dryRun.some((v) => typeof v !== 'string')) typeError('dryRun', '[]string', dryRun);
    if (dryRunParam(dryRun as string[])) options.dryRun = ['All'];
  }
  return options;
}

function fromQuery(query: URLSearchParams): DeleteOptions {
  const options: DeleteOptions = {};
  const gracePeriodSeconds = integerParam(query, 'gracePeriodSeconds');
  if (gracePeriodSeconds !== undefined) options.gracePeriodSeconds = gracePeriodSeconds;
  const propagationPolicy = query.get('propagationPolicy');
  if (propagationPolicy) options.propagationPolicy = propagationPolicy as PropagationPolicy;
  if (query.has('orphanDependents')) options.orphanDependents = isTrue(query.get('orphanDependents'));
  if (dryRunParam(query.getAll('dryRun'))) options.dryRun = ['All'];
  return options;
}

export function toDeleteOptions(query: URLSearchParams, body: Record<string, unknown> | undefined): DeleteOptions {
  const options = body ? fromBody(body) : fromQuery(query);
  const errors: FieldError[] = [];
  const policy = options.propagationPolicy;
  if (policy !== undefined && !(propagationPolicies as readonly string[]).includes(policy)) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'propagationPolicy',
      value: policy,
      supported: [...propagationPolicies],
    });
  }
  if (policy !== undefined && options.orphanDependents !== undefined) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'propagationPolicy',
      value: policy,
      detail: 'orphanDependents and deletionPropagation cannot be both set',
    });
  }
  if (errors.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errors);
  return options;
}
