/**
 * Serves discovery from the resource table. Documents are built and serialized once, lazily, and
 * rebuilt after the table changes (CRDs); each carries an ETag so clients can revalidate cheaply.
 * `/api` and `/apis` answer aggregated discovery in exactly the version the client listed first among
 * those supported (kubectl ≤1.29 fail on a v2 answer to a v2beta1 request), else the legacy document.
 */
import { createHash } from 'node:crypto';
import type { ResourceTable } from '../../registry/types.ts';
import { notAcceptable } from '../../status.ts';
import { resourceNotFound } from '../errors.ts';
import { parseAccept } from '../negotiation.ts';
import { aggregatedContentType, type DiscoveryVersion, groupDiscoveryList } from './aggregated.ts';
import { type GroupVersions, groupVersions } from './group-versions.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './legacy.ts';

interface Document {
  bytes: Uint8Array;
  etag: string;
  contentType: string;
}

export interface Discovery {
  /** The discovery response for `parts` (path segments), or undefined when the path is not discovery. */
  serve(parts: readonly string[], accept: string | null, ifNoneMatch: string | null): Response | undefined;
}

const encoder = new TextEncoder();

function toDocument(value: unknown, contentType = 'application/json'): Document {
  const bytes = encoder.encode(JSON.stringify(value));
  const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
  return { bytes, etag, contentType };
}

type RootChoice = { aggregated: DiscoveryVersion } | { aggregated: undefined };

/** The first supported entry of the Accept list; aggregated only when asked for by its exact parameters. */
export function negotiateRoot(accept: string | null): RootChoice {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { aggregated: undefined };
  for (const r of ranges) {
    if (r.type === 'application/json') {
      if (r.params.as === undefined) return { aggregated: undefined };
      const v = r.params.v;
      if (
        r.params.as === 'APIGroupDiscoveryList' &&
        r.params.g === 'apidiscovery.k8s.io' &&
        (v === 'v2' || v === 'v2beta1')
      ) {
        return { aggregated: v };
      }
    } else if (r.type === '*/*' || r.type === 'application/*') {
      return { aggregated: undefined };
    }
  }
  throw notAcceptable(
    'only the following media types are accepted: application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList, application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  );
}

export function createDiscovery(resources: ResourceTable, o: { serverAddress?: string } = {}): Discovery {
  let groups: GroupVersions[] | undefined;
  const cache = new Map<string, Document | null>();
  resources.onChange(() => {
    groups = undefined;
    cache.clear();
  });
  const currentGroups = () => {
    groups ??= groupVersions(resources.all());
    return groups;
  };
  const cached = (key: string, build: () => Document | null): Document | null => {
    let doc = cache.get(key);
    if (doc === undefined) {
      doc = build();
      cache.set(key, doc);
    }
    return doc;
  };
  const find = (group: string) => currentGroups().find((g) => g.group === group);
  const resourceList = (group: string, version: string) =>
    cached(`gv:${group}/${version}`, () => {
      const v = find(group)?.versions.find((x) => x.version === version);
      return v ? toDocument(apiResourceList(group, version, v.resources)) : null;
    });

  const root = (which: 'api' | 'apis', accept: string | null): Document => {
    const choice = negotiateRoot(accept);
    const named = () => currentGroups().filter((g) => (which === 'api' ? g.group === '' : g.group !== ''));
    if (choice.aggregated) {
      const version = choice.aggregated;
      return cached(`aggregated:${which}:${version}`, () =>
        toDocument(groupDiscoveryList(named(), version), aggregatedContentType(version)),
      ) as Document;
    }
    return cached(`legacy:${which}`, () =>
      toDocument(which === 'api' ? apiVersions(find(''), o.serverAddress) : apiGroupList(currentGroups())),
    ) as Document;
  };

  const documentFor = (parts: readonly string[], accept: string | null): Document | null | undefined => {
    const [first, second, third] = parts;
    if (first === 'api') {
      if (parts.length === 1) return root('api', accept);
      if (parts.length === 2) return resourceList('', second as string);
    } else if (first === 'apis') {
      if (parts.length === 1) return root('apis', accept);
      if (parts.length === 2) {
        return cached(`group:${second}`, () => {
          const g = find(second as string);
          return g && g.group !== '' ? toDocument(apiGroup(g)) : null;
        });
      }
      if (parts.length === 3) return second === '' ? null : resourceList(second as string, third as string);
    }
    return undefined;
  };

  return {
    serve(parts, accept, ifNoneMatch) {
      const doc = documentFor(parts, accept);
      if (doc === undefined) return undefined;
      if (doc === null) throw resourceNotFound();
      const isRoot = parts.length === 1;
      const headers: Record<string, string> = { 'Content-Type': doc.contentType, ETag: doc.etag };
      if (isRoot) headers.Vary = 'Accept';
      if (ifNoneMatch === doc.etag) return new Response(null, { status: 304, headers });
      headers['Content-Length'] = String(doc.bytes.byteLength);
      return new Response(doc.bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
    },
  };
}
