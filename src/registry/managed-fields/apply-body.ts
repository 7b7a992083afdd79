/**
 * What server-side apply refuses in a configuration before merging it (400): another apiVersion than
 * the endpoint's, and any metadata.managedFields, even an empty list — ownership is the server's to
 * compute, so a configuration copied from `kubectl get -o yaml` must have them stripped.
 */
import { badRequest } from '../../status.ts';
import { groupVersion, type ResourceDef } from '../types.ts';

export function checkApplyBody(def: ResourceDef, body: unknown): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const { apiVersion, metadata } = body as { apiVersion?: unknown; metadata?: { managedFields?: unknown } };
  const expected = groupVersion(def);
  if (apiVersion !== undefined && apiVersion !== expected) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(apiVersion)}, expected: ${expected}`,
    );
  }
  if (metadata && typeof metadata === 'object' && metadata.managedFields != null) {
    throw badRequest('metadata.managedFields must be nil');
  }
}
