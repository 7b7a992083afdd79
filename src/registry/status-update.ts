/**
 * What a /status write (PUT or PATCH) makes of the request: status from the body, spec and every other
 * top-level field from the stored object, metadata from the body except what the kind's status strategy
 * resets. Most kube status strategies only reset spec, so `kubectl patch --subresource=status` with
 * annotations keeps them (the "should patch a pod status" conformance test relies on it); the generic
 * rules in update.ts then restore the server-owned metadata (uid, generation, deletionTimestamp, ...).
 */

import { copyValue } from '../copy-value.ts';
import type { KubeObject } from '../types/meta.ts';
import type { RequestContext, ResourceDef, StatusResetMetadataField } from './types.ts';

/** metav1.ResetObjectMetaForStatus, minus what update.ts restores for every write anyway. */
const userMetadata: readonly StatusResetMetadataField[] = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/** Subresources written through statusUpdateOf: /status, and a CSR's /approval (its conditions only). */
export const writesStatus = (subresource: string | undefined): subresource is string =>
  subresource === 'status' || subresource === 'approval';

export function statusUpdateOf(
  def: ResourceDef,
  requested: KubeObject,
  old: KubeObject,
  context: RequestContext,
  subresource = 'status',
): KubeObject {
  const next: KubeObject = {
    ...copyValue(old),
    metadata: requested.metadata ? { ...requested.metadata } : copyValue(old.metadata),
    status: requested.status,
  };
  const resets = def.strategy.statusResetsMetadata;
  const fields = resets === 'all' ? userMetadata : (resets ?? []);
  const metadata = next.metadata as Record<string, unknown>;
  for (const field of fields) {
    const stored = old.metadata[field];
    if (stored === undefined) delete metadata[field];
    else metadata[field] = copyValue(stored);
  }
  def.strategy.prepareForStatusUpdate?.(next, old, context, subresource);
  return next;
}
