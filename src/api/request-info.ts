/**
 * URL + method → what the request is about, following apiserver's RequestInfoFactory
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): `/api/v1/...` is the core group,
 * `/apis/<group>/<version>/...` a named one, `namespaces/<ns>/` scopes what follows, and the segments after
 * that are resource, name, subresource. Resource lookup and verb checks happen in resolve-resource.ts.
 */
import { badRequest } from '../status.ts';

export interface ResourcePath {
  group: string;
  version: string;
  /** Set when the URL is under `namespaces/<ns>/`; not for `/api/v1/namespaces/<ns>`, which is a cluster-scoped item. */
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Segments after the subresource (proxy paths); usually empty. */
  subpath: string[];
  /** The deprecated `/watch/` prefix was used. */
  isWatchPrefix: boolean;
}

/** Subresources of a namespace whose URL is `namespaces/<ns>/<sub>` rather than a resource inside it. */
const namespaceSubresources = new Set(['status', 'finalize']);

/**
 * The resource path of `/api/v1/...` and `/apis/<g>/<v>/...` URLs that name a resource, or undefined for
 * everything else (discovery documents, non-resource paths). Percent-encoded segments are decoded.
 */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = splitPath(pathname);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  const isWatchPrefix = rest[0] === 'watch';
  if (isWatchPrefix) rest = rest.slice(1);
  if (rest.length === 0) return undefined;

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1] as string;
    const sub = rest[2];
    // `namespaces/<ns>` and `namespaces/<ns>/finalize|status` address the Namespace object itself.
    if (rest.length === 2 || (rest.length === 3 && sub !== undefined && namespaceSubresources.has(sub))) {
      const path: ResourcePath = {
        group,
        version,
        resource: 'namespaces',
        name: namespace,
        subpath: [],
        isWatchPrefix,
      };
      if (sub !== undefined) path.subresource = sub;
      return path;
    }
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...subpath] = rest;
  const path: ResourcePath = { group, version, resource: resource as string, subpath, isWatchPrefix };
  if (namespace !== undefined) path.namespace = namespace;
  if (name !== undefined) path.name = name;
  if (subresource !== undefined) path.subresource = subresource;
  return path;
}

/** Path segments without empty ones (a trailing slash is ignored), percent-decoded. */
export function splitPath(pathname: string): string[] {
  const out: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    try {
      out.push(raw.includes('%') ? decodeURIComponent(raw) : raw);
    } catch {
      throw badRequest(`invalid URL escape in path segment "${raw}"`);
    }
  }
  return out;
}
