/**
 * Checks and resets shared by create and update: the body's type against the endpoint, URL vs body
 * name and namespace, and the metadata fields the server owns.
 */

import { copyValue } from '../copy-value.ts';
import { checkDecoding } from '../openapi/validation/decode-validator.ts';
import { badRequest, type FieldError, forbidden, invalid, notFound } from '../status.ts';
import type { KubeObject } from '../types/meta.ts';
import { isCustomResource } from './custom-resources.ts';
import { groupKindOf } from './keys.ts';
import type { RegistryState } from './registry-state.ts';
import { groupVersion, type RequestContext, type ResourceDef } from './types.ts';

/**
 * The body as a KubeObject of `def`'s kind, or 400. Missing kind/apiVersion are filled in. With a
 * request context the body is also decoded as a real server decodes it: wrong JSON types are 400 and
 * unknown fields follow context.fieldValidation (absent means Warn, the server default). Custom
 * resources are pruned and checked against their CRD's schema elsewhere.
 */
export function objectFromBody(def: ResourceDef, body: unknown, context?: RequestContext): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the body must be an object`,
    );
  }
  const object = copyValue(body) as KubeObject;
  const apiVersion = groupVersion(def);
  if (object.apiVersion !== undefined && object.apiVersion !== '' && object.apiVersion !== apiVersion) {
    throw badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (object.kind !== undefined && object.kind !== '' && object.kind !== def.kind) {
    throw badRequest(`the kind in the data (${String(object.kind)}) does not match the expected kind (${def.kind})`);
  }
  object.apiVersion = apiVersion;
  object.kind = def.kind;
  if (context && !context.trusted && !isCustomResource(def)) {
    checkDecoding(def, object, context.fieldValidation ?? 'Warn', context.warnings);
  }
  if (!object.metadata || typeof object.metadata !== 'object') object.metadata = {};
  return object;
}

/** Puts the URL's namespace into the object; 400 when the body names another. */
export function bindNamespace(def: ResourceDef, namespace: string | undefined, object: KubeObject): void {
  if (!def.namespaced) {
    delete object.metadata.namespace;
    return;
  }
  const inBody = object.metadata.namespace;
  if (inBody && namespace && inBody !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (!namespace && !inBody)
    throw badRequest('the server could not find the requested resource: a namespace is required');
  object.metadata.namespace = namespace ?? inBody;
}

export function checkURLName(object: KubeObject, name: string): void {
  if (!object.metadata.name) object.metadata.name = name;
  else if (object.metadata.name !== name) {
    throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
  }
}

/** Namespace lifecycle admission: the namespace must exist and not be terminating. */
export async function requireActiveNamespace(
  state: RegistryState,
  def: ResourceDef,
  namespace: string,
  name: string,
): Promise<void> {
  if (!def.namespaced) return;
  const { kv } = await state.store.get(`/registry/core/namespaces/${namespace}`);
  if (!kv) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  const ns = state.decoder.decode(kv);
  if (ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
    const err = forbidden(
      { group: def.group, resource: def.plural },
      name,
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
    // NamespaceLifecycle admission names the cause so clients can tell this 403 from an RBAC one.
    err.status.details = {
      ...err.status.details,
      causes: [
        {
          reason: 'NamespaceTerminating',
          message: `namespace ${namespace} is being terminated`,
          field: 'metadata.namespace',
        },
      ],
    };
    throw err;
  }
}

/** Throws 422 Invalid when there are field errors. */
export function throwIfInvalid(def: ResourceDef, name: string, errors: FieldError[]): void {
  if (errors.length) throw invalid(groupKindOf(def), name, errors);
}

/** Fields a client may not set on create (apiserver rest.FillObjectMetaSystemFields and friends). */
export function resetSystemFieldsForCreate(object: KubeObject): void {
  const m = object.metadata;
  delete m.uid;
  delete m.resourceVersion;
  delete m.generation;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.managedFields;
  delete (m as Record<string, unknown>).selfLink;
  m.creationTimestamp = undefined;
}

export function hasStatusSubresource(def: ResourceDef): boolean {
  return def.subresources?.some((s) => s.name === 'status') ?? false;
}
