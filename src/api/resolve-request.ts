/**
 * A parsed resource path + HTTP method → the served resource and the verb, or the Status a real server
 * answers: 404 for unknown resources and subresources, 405 for a method the resource does not serve.
 */
import type { ResourceDef, ResourceTable, SubresourceDef, Verb } from '../registry/types.ts';
import { allVerbs } from '../registry/types.ts';
import { methodNotAllowed } from '../status.ts';
import { resourceNotFound } from './errors.ts';
import { isTrue } from './query.ts';
import type { ResourcePath } from './request-info.ts';

export interface ResolvedRequest {
  def: ResourceDef;
  verb: Verb;
  /** Undefined for cluster-scoped kinds and for lists/watches across all namespaces. */
  namespace: string | undefined;
  name: string | undefined;
  subresource: SubresourceDef | undefined;
  path: ResourcePath;
}

/** Verbs of a collection across all namespaces (`GET /api/v1/pods`): apiserver installs only these. */
const allNamespacesVerbs: ReadonlySet<Verb> = new Set(['list', 'watch']);

export function resolveRequest(
  resources: ResourceTable,
  method: string,
  path: ResourcePath,
  query: URLSearchParams,
): ResolvedRequest {
  const def = resources.lookup(path.group, path.version, path.resource);
  if (!def) throw resourceNotFound();
  if (!def.namespaced && path.namespace !== undefined) throw resourceNotFound();
  const subresource = path.subresource === undefined ? undefined : findSubresource(def, path.subresource);
  const verb = verbOf(method, path, query);
  if (subresource) {
    if (!subresource.verbs.includes(verb)) throw methodNotAllowed();
  } else {
    if (!(def.verbs ?? allVerbs).includes(verb)) throw methodNotAllowed();
    if (def.namespaced && path.namespace === undefined && !allNamespacesVerbs.has(verb)) {
      // A namespaced item without its namespace matches no route at all; a collection does, without this method.
      if (path.name !== undefined) throw resourceNotFound();
      throw methodNotAllowed();
    }
  }
  return { def, verb, namespace: def.namespaced ? path.namespace : undefined, name: path.name, subresource, path };
}

function findSubresource(def: ResourceDef, name: string): SubresourceDef {
  const sub = def.subresources?.find((s) => s.name === name);
  if (!sub) throw resourceNotFound();
  return sub;
}

/** The Kubernetes verb for a method on a collection, item or subresource (requestinfo.go's table). */
export function verbOf(method: string, path: ResourcePath, query: URLSearchParams): Verb {
  const isItem = path.name !== undefined;
  switch (method) {
    case 'GET':
      if (path.subresource !== undefined) return 'get';
      // `?watch=true` turns a list into a watch; a single item is watched only under the old /watch/ prefix.
      if (path.isWatchPrefix || (!isItem && isTrue(query.get('watch')))) return 'watch';
      return isItem ? 'get' : 'list';
    case 'POST':
      if (isItem && path.subresource === undefined) throw methodNotAllowed();
      return 'create';
    case 'PUT':
      if (!isItem) throw methodNotAllowed();
      return 'update';
    case 'PATCH':
      if (!isItem) throw methodNotAllowed();
      return 'patch';
    case 'DELETE':
      return isItem ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}
