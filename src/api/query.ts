/**
 * Query parameters → registry options, with apiserver's parsing rules: booleans follow apimachinery's
 * `Convert_Slice_string_To_bool` (only "false" and "0" are false), integers follow Go's strconv (garbage is
 * a 400 worded as strconv's error), and option objects are validated as ListOptions/PatchOptions/... are,
 * answering 422 Invalid with the kind of the options object.
 */
import type { ListOptions, RequestContext, Verb, WatchOptions } from '../registry/types.ts';
import { badRequest, type FieldError, invalid } from '../status.ts';
import { invalidInteger } from './errors.ts';

/** apimachinery bool conversion: absent is false; "false"/"0" (any case) are false; anything else is true. */
export function isTrue(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  const v = value.toLowerCase();
  return v !== 'false' && v !== '0';
}

const int64 = /^[+-]?\d{1,19}$/;

/** An int64 query parameter, or undefined when absent. */
export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!int64.test(value)) throw invalidInteger(value);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw invalidInteger(value);
  return n;
}

function optionsInvalid(kind: string, errors: FieldError[]): never {
  throw invalid({ group: 'meta.k8s.io', kind }, '', errors);
}

const resourceVersionMatches = ['Exact', 'NotOlderThan'] as const;

function resourceVersionMatchParam(query: URLSearchParams): ListOptions['resourceVersionMatch'] | undefined {
  const value = query.get('resourceVersionMatch');
  if (value === null || value === '') return undefined;
  if (value === 'Exact' || value === 'NotOlderThan') return value;
  return optionsInvalid('ListOptions', [
    { type: 'FieldValueNotSupported', field: 'resourceVersionMatch', value, supported: [...resourceVersionMatches] },
  ]);
}

function selectorParams(query: URLSearchParams, into: { labelSelector?: string; fieldSelector?: string }): void {
  const labelSelector = query.get('labelSelector');
  if (labelSelector) into.labelSelector = labelSelector;
  const fieldSelector = query.get('fieldSelector');
  if (fieldSelector) into.fieldSelector = fieldSelector;
}

/** ListOptions for a list request, validated as apiserver's ValidateListOptions does for lists. */
export function toListOptions(query: URLSearchParams): ListOptions {
  const options: ListOptions = {};
  selectorParams(query, options);
  const limit = integerParam(query, 'limit');
  if (limit !== undefined && limit > 0) options.limit = limit;
  const continueToken = query.get('continue');
  if (continueToken) options.continue = continueToken;
  const resourceVersion = query.get('resourceVersion');
  if (resourceVersion) options.resourceVersion = resourceVersion;
  const match = resourceVersionMatchParam(query);
  const errors: FieldError[] = [];
  if (match !== undefined) {
    options.resourceVersionMatch = match;
    if (!resourceVersion) {
      errors.push({
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided',
      });
    } else if (match === 'Exact' && resourceVersion === '0') {
      errors.push({
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      });
    }
  }
  if (query.has('sendInitialEvents')) {
    errors.push({
      type: 'FieldValueForbidden',
      field: 'sendInitialEvents',
      detail: 'sendInitialEvents is forbidden for list',
    });
  }
  if (errors.length > 0) optionsInvalid('ListOptions', errors);
  return options;
}

/** WatchOptions (without the signal), validated as a watch's ListOptions, including the watch-list rules. */
export function toWatchOptions(query: URLSearchParams): Omit<WatchOptions, 'signal'> {
  const options: Omit<WatchOptions, 'signal'> = {};
  selectorParams(query, options);
  const resourceVersion = query.get('resourceVersion');
  if (resourceVersion) options.resourceVersion = resourceVersion;
  const timeoutSeconds = integerParam(query, 'timeoutSeconds');
  if (timeoutSeconds !== undefined && timeoutSeconds > 0) options.timeoutSeconds = timeoutSeconds;
  options.allowWatchBookmarks = isTrue(query.get('allowWatchBookmarks'));
  const match = resourceVersionMatchParam(query);
  if (match !== undefined) options.resourceVersionMatch = match;
  const errors: FieldError[] = [];
  if (query.has('sendInitialEvents')) {
    options.sendInitialEvents = isTrue(query.get('sendInitialEvents'));
    if (match !== 'NotOlderThan') {
      errors.push({
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      });
    }
    if (options.sendInitialEvents && !options.allowWatchBookmarks) {
      errors.push({
        type: 'FieldValueForbidden',
        field: 'allowWatchBookmarks',
        detail: 'sendInitialEvents requires setting allowWatchBookmarks to true',
      });
    }
  } else if (match !== undefined) {
    errors.push({
      type: 'FieldValueForbidden',
      field: 'resourceVersionMatch',
      detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    });
  }
  if (errors.length > 0) optionsInvalid('ListOptions', errors);
  return options;
}

const fieldValidations = ['Ignore', 'Strict', 'Warn'] as const;
type FieldValidation = (typeof fieldValidations)[number];
const isFieldValidation = (v: string): v is FieldValidation => (fieldValidations as readonly string[]).includes(v);

/** The kind apiserver names in a 422 about write options. */
const optionsKindOf: Partial<Record<Verb, string>> = {
  create: 'CreateOptions',
  update: 'UpdateOptions',
  patch: 'PatchOptions',
  delete: 'DeleteOptions',
  deletecollection: 'DeleteOptions',
};

/** dryRun: `All` is the only value the API defines; anything else is refused. */
export function dryRunParam(values: readonly string[]): boolean {
  if (values.length === 0) return false;
  const unsupported = values.filter((v) => v !== 'All');
  if (unsupported.length > 0) {
    throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(values)}: supported values: "All"`);
  }
  return true;
}

export interface WriteParams {
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  force?: boolean;
}

/** dryRun, fieldManager, fieldValidation and force of a write, checked as ValidatePatchOptions and friends. */
export function toWriteParams(query: URLSearchParams, verb: Verb, isApply: boolean): WriteParams {
  const kind = optionsKindOf[verb] ?? 'CreateOptions';
  const params: WriteParams = { dryRun: dryRunParam(query.getAll('dryRun')) };
  const errors: FieldError[] = [];
  const fieldManager = query.get('fieldManager');
  if (fieldManager) {
    if (new TextEncoder().encode(fieldManager).length > 128) {
      errors.push({ type: 'FieldValueTooLong', field: 'fieldManager', detail: 'may not be more than 128 bytes' });
    } else if (!isPrintable(fieldManager)) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'fieldManager',
        value: fieldManager,
        detail: 'must only contain printable characters',
      });
    } else {
      params.fieldManager = fieldManager;
    }
  } else if (isApply) {
    errors.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
  }
  const fieldValidation = query.get('fieldValidation');
  if (fieldValidation) {
    if (isFieldValidation(fieldValidation)) params.fieldValidation = fieldValidation;
    else {
      errors.push({
        type: 'FieldValueNotSupported',
        field: 'fieldValidation',
        value: fieldValidation,
        supported: [...fieldValidations],
      });
    }
  }
  if (query.has('force')) {
    if (verb === 'patch' && !isApply) {
      errors.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
    } else {
      params.force = isTrue(query.get('force'));
    }
  }
  if (errors.length > 0) optionsInvalid(kind, errors);
  return params;
}

function isPrintable(text: string): boolean {
  return !/[\p{Cc}\p{Cs}]/u.test(text);
}

/**
 * The manager of a write without `fieldManager`: apiserver takes the User-Agent's program name
 * (fieldmanager.go prefixFromUserAgent), e.g. `kubectl` from `kubectl/v1.35.0 (linux/amd64)`.
 */
export function fieldManagerFromUserAgent(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const prefix = userAgent.split('/')[0]?.slice(0, 128);
  return prefix || undefined;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Table rows' `object`: PartialObjectMetadata unless the client asks for None or the full Object. */
export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  if (value === null || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw badRequest(
    `includeObject: Unsupported value: ${JSON.stringify(value)}: supported values: "Metadata", "None", "Object"`,
  );
}

/** The request context every registry call gets, from the write params and the request. */
export function toRequestContext(
  base: Pick<RequestContext, 'user'> & { userAgent?: string },
  params?: WriteParams,
): RequestContext {
  const context: RequestContext = { user: base.user, warnings: [] };
  if (base.userAgent) context.userAgent = base.userAgent;
  if (params) {
    if (params.dryRun) context.dryRun = true;
    const fieldManager = params.fieldManager ?? fieldManagerFromUserAgent(base.userAgent);
    if (fieldManager) context.fieldManager = fieldManager;
    if (params.fieldValidation) context.fieldValidation = params.fieldValidation;
  }
  return context;
}
