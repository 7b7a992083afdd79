/**
 * Kubernetes `Status` errors: the one place failures are made.
 *
 * Storage throws `StorageError` (see storage/types.ts); the registry maps it at its one boundary with
 * `interpretStorageError`; the HTTP layer writes any `StatusError` as JSON with `status.code` as the
 * HTTP status. Anything else that escapes is a bug and becomes a logged 500.
 *
 * Messages follow the wording of kube-apiserver (k8s.io/apimachinery/pkg/api/errors), because kubectl
 * prints them verbatim and users grep for them.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Expired'
  | 'ServiceUnavailable';

/** A group and resource, e.g. `{ group: 'apps', resource: 'deployments' }`; core group is `''`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group and kind, e.g. `{ group: 'apps', kind: 'Deployment' }`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** One field problem of a 422 Invalid, as field.Error in apimachinery. */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueDuplicate'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueTypeInvalid'
    | 'InternalError';
  /** Dotted path such as `spec.template.spec.containers[0].name`. */
  field: string;
  /** The offending value, if any; printed as Kubernetes does (strings quoted). */
  value?: unknown;
  /**
   * The value as Go's %#v prints it, for maps and structs where JSON would not match what a real
   * server says (`map[string]string{"app":"x"}`); used instead of `value` when set.
   */
  goValue?: string;
  /** Free-text detail (for Invalid / Forbidden / NotSupported this follows the value). */
  detail?: string;
  /** For NotSupported: the allowed values. */
  supported?: string[];
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

/** `deployments.apps` or `pods` for the core group. */
export function formatGroupResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function formatGroupKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

export function statusError(
  code: number,
  reason: StatusReason,
  message: string,
  details?: StatusDetails,
  metadata: Status['metadata'] = {},
): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

function resourceDetails(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: gr.resource };
  if (gr.group) d.group = gr.group;
  return d;
}

export const notFound = (gr: GroupResource, name: string): StatusError =>
  statusError(404, 'NotFound', `${formatGroupResource(gr)} "${name}" not found`, resourceDetails(gr, name));

export const alreadyExists = (gr: GroupResource, name: string): StatusError =>
  statusError(409, 'AlreadyExists', `${formatGroupResource(gr)} "${name}" already exists`, resourceDetails(gr, name));

export const conflict = (gr: GroupResource, name: string, why?: string): StatusError =>
  statusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${formatGroupResource(gr)} "${name}": ${
      why ?? 'the object has been modified; please apply your changes to the latest version and try again'
    }`,
    resourceDetails(gr, name),
  );

/** 404 for a path the server does not serve at all (unknown group, version or resource). */
export const noSuchResource = (): StatusError =>
  statusError(404, 'NotFound', 'the server could not find the requested resource', {});

export const badRequest = (message: string): StatusError => statusError(400, 'BadRequest', message);

export const unauthorized = (message = 'Unauthorized'): StatusError => statusError(401, 'Unauthorized', message);

export const forbidden = (gr: GroupResource, name: string, why: string): StatusError =>
  statusError(
    403,
    'Forbidden',
    `${formatGroupResource(gr)} ${name ? `"${name}" ` : ''}is forbidden: ${why}`,
    resourceDetails(gr, name),
  );

export const methodNotAllowed = (message = 'the server does not allow this method on the requested resource') =>
  statusError(405, 'MethodNotAllowed', message);

export const notAcceptable = (message: string): StatusError => statusError(406, 'NotAcceptable', message);

export const unsupportedMediaType = (contentType: string, supported?: string[]): StatusError =>
  statusError(
    415,
    'UnsupportedMediaType',
    supported
      ? `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`
      : `the body of the request was in an unknown format: ${contentType}`,
  );

export const requestEntityTooLarge = (message = 'Request entity too large: limit is 3145728'): StatusError =>
  statusError(413, 'RequestEntityTooLarge', message);

export const tooManyRequests = (message: string, causes?: StatusCause[], retryAfterSeconds?: number): StatusError => {
  const details: StatusDetails = {};
  if (causes) details.causes = causes;
  if (retryAfterSeconds !== undefined) details.retryAfterSeconds = retryAfterSeconds;
  return statusError(429, 'TooManyRequests', message, causes || retryAfterSeconds !== undefined ? details : undefined);
};

/** 410 Expired: a list or watch from a compacted revision, or a stale continue token. */
export const expired = (message: string, continueToken?: string): StatusError =>
  statusError(410, 'Expired', message, undefined, continueToken ? { continue: continueToken } : {});

/** 410 Gone for `too old resource version` on watch (sent as an ERROR event). */
export const resourceVersionTooOld = (requested: number, oldest: number): StatusError =>
  statusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

export const timeout = (message: string, retryAfterSeconds = 1): StatusError =>
  statusError(504, 'Timeout', message, { retryAfterSeconds });

export const serviceUnavailable = (message: string): StatusError => statusError(503, 'ServiceUnavailable', message);

export const internalError = (err: unknown): StatusError =>
  statusError(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`, {
    causes: [{ message: err instanceof Error ? err.message : String(err) }],
  });

/** Text already in Go's notation, printed verbatim. */
class GoValue {
  constructor(readonly text: string) {}
}

/** Render a value inside a field error the way Go's %#v-ish printing in field.Error does. */
function formatFieldValue(value: unknown): string {
  if (value instanceof GoValue) return value.text;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The text of one field error, e.g. `metadata.name: Required value`. */
export function formatFieldError(e: FieldError): string {
  const body = fieldErrorBody(e);
  return `${e.field}: ${body}`;
}

function fieldErrorBody(e: FieldError): string {
  if (e.goValue !== undefined) return fieldErrorBody({ ...e, value: new GoValue(e.goValue), goValue: undefined });
  const hasValue = 'value' in e && e.value !== undefined;
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueTooLong':
      return `Too long: ${e.detail ?? 'value is too long'}`;
    case 'FieldValueTooMany':
      return `Too many: ${e.detail ?? 'too many items'}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${hasValue ? formatFieldValue(e.value) : ''}`;
    case 'FieldValueNotSupported': {
      const v = hasValue ? `${formatFieldValue(e.value)}: ` : '';
      const supported = e.supported?.length ? `supported values: ${e.supported.map((s) => `"${s}"`).join(', ')}` : '';
      return `Unsupported value: ${v}${supported || e.detail || ''}`;
    }
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${hasValue ? `${formatFieldValue(e.value)}: ` : ''}${e.detail ?? ''}`;
    case 'InternalError':
      return `Internal error: ${e.detail ?? ''}`;
    case 'FieldValueInvalid':
      return `Invalid value: ${hasValue ? formatFieldValue(e.value) : '""'}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/**
 * 422 Invalid, e.g.
 * `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
 * Several causes are joined as `[a, b]`, like apimachinery's aggregate.
 */
export function invalid(gk: GroupKind, name: string, errors: FieldError[]): StatusError {
  const texts = errors.map(formatFieldError);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const details: StatusDetails = {
    name,
    kind: gk.kind,
    causes: errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
  };
  if (gk.group) details.group = gk.group;
  return statusError(422, 'Invalid', `${formatGroupKind(gk)} "${name}" is invalid: ${joined}`, details);
}

/** A successful Status, as returned by DELETE of most kinds. */
export function successStatus(details?: StatusDetails, code?: number): Omit<Status, 'code'> & { code?: number } {
  const s: Omit<Status, 'code'> & { code?: number } = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
  };
  if (details) s.details = details;
  if (code !== undefined) s.code = code;
  return s;
}

/** 504 for a list/get/watch asking for a resourceVersion newer than anything committed (after waiting). */
export const resourceVersionTooLarge = (requested: number, current: number): StatusError =>
  statusError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

/** One field another manager owns, as a server-side apply conflict names it. */
export interface ApplyConflict {
  /** How the manager is printed: `"kubectl-client-side-apply" using apps/v1`, `"helm"`. */
  manager: string;
  /** `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
  field: string;
}

/**
 * 409 Conflict of server-side apply (apiserver fieldmanager NewConflictError):
 * `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`, or for several
 * `Apply failed with 2 conflicts: conflicts with "m" using apps/v1:\n- .spec.a\n- .spec.b`, managers
 * sorted. Each field is a FieldManagerConflict cause.
 */
export function applyConflict(conflicts: readonly ApplyConflict[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${c.manager}`,
    field: c.field,
  }));
  let message: string;
  if (conflicts.length === 1) {
    const only = conflicts[0] as ApplyConflict;
    message = `Apply failed with 1 conflict: conflict with ${only.manager}: ${only.field}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
    const lines: string[] = [];
    for (const manager of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${manager}:`, ...(byManager.get(manager) ?? []).map((f) => `- ${f}`));
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return statusError(409, 'Conflict', message, { causes });
}
