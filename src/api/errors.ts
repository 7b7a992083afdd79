/**
 * Errors only the HTTP layer raises, built on status.ts's `statusError` so every Status still comes from
 * one place. Messages follow kube-apiserver's wording because kubectl prints them verbatim.
 */
import { type StatusError, statusError } from '../status.ts';

/** 404 for a path under /api or /apis that names no served resource. */
export const resourceNotFound = (): StatusError =>
  statusError(404, 'NotFound', 'the server could not find the requested resource', {});

/** 400 for a parameter Go's strconv would reject, worded as that error. */
export const invalidInteger = (value: string): StatusError =>
  statusError(400, 'BadRequest', `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
