/**
 * Turning an HTTP error response back into the StatusError the server meant, so callers see the same
 * error from the HTTP client as from the local one.
 */
import { type Status, StatusError, type StatusReason, statusError } from '../status.ts';

/** Reasons for bodies that are not a Status (proxies, plain-text errors), as client-go guesses them. */
const reasonByCode: Readonly<Record<number, StatusReason>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function isStatus(value: unknown): value is Status {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v.kind === 'Status' && typeof v.code === 'number';
}

export function toStatusError(code: number, body: string): StatusError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return new StatusError(parsed);
  const message = body.trim() || `the server responded with status ${code}`;
  return statusError(code, reasonByCode[code] ?? 'InternalError', message);
}
