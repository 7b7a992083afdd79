/**
 * /openapi/v2 and /openapi/v3, as kube-openapi's handlers serve them (contract §5.2, §5.3):
 * v2 negotiates JSON or gnostic protobuf (answering the protobuf with the dotted Content-Type, which
 * Go's MIME parser accepts, whichever form was asked for); v3 serves an index whose URLs carry each
 * document's hash, and a document asked for by its current hash is immutable; an outdated hash is
 * redirected to the current one. Every document has an ETag, honours If-None-Match and is gzipped on
 * request. Documents are built on first request (src/openapi/openapi-documents.ts).
 */
import { createOpenApiDocuments, v2ProtobufContentType } from '../openapi/openapi-documents.ts';
import { respondWithDocument } from '../openapi/served-document.ts';
import type { DocumentInfo } from '../openapi/v3-document.ts';
import type { ResourceTable } from '../registry/types.ts';
import { notAcceptable } from '../status.ts';
import { parseAccept } from './negotiation.ts';

type V2Format = 'json' | 'protobuf';

// The deprecated `@` subtype and the dotted one name the same protobuf document.
const v2Offers: ReadonlyArray<[string, V2Format]> = [
  ['application/json', 'json'],
  ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'protobuf'],
  [v2ProtobufContentType, 'protobuf'],
];
const jsonOffers: ReadonlyArray<[string, 'json']> = [['application/json', 'json']];
const oneYearMs = 365 * 24 * 3600 * 1000;

function negotiate<T>(accept: string | null, offers: ReadonlyArray<[string, T]>): T | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return offers[0]?.[1];
  for (const range of ranges) {
    const [type, subtype] = range.type.split('/');
    const offer = offers.find(([media]) => {
      const [offerType] = media.split('/');
      return range.type === media || (type === '*' && subtype === '*') || (subtype === '*' && type === offerType);
    });
    if (offer) return offer[1];
  }
  return undefined;
}

const unacceptable = (offers: ReadonlyArray<[string, unknown]>) =>
  notAcceptable(`only the following media types are accepted: ${offers.map(([media]) => media).join(', ')}`);

export interface OpenApiRoutes {
  /** The response for a path under /openapi, or undefined for any other path. */
  serve(parts: readonly string[], request: Request, now?: number): Response | undefined;
}

export function createOpenApiRoutes(resources: ResourceTable, info: DocumentInfo): OpenApiRoutes {
  const documents = createOpenApiDocuments(resources, info);
  return {
    serve(parts, request, now = Date.now()) {
      if (parts[0] !== 'openapi' || (request.method !== 'GET' && request.method !== 'HEAD')) return undefined;
      const accept = request.headers.get('accept');
      if (parts.length === 2 && parts[1] === 'v2') {
        const format = negotiate(accept, v2Offers);
        if (!format) throw unacceptable(v2Offers);
        return respondWithDocument(request, format === 'json' ? documents.v2Json() : documents.v2Protobuf());
      }
      if (parts[1] !== 'v3') return undefined;
      if (parts.length === 2) {
        if (!negotiate(accept, jsonOffers)) throw unacceptable(jsonOffers);
        return respondWithDocument(request, documents.v3Index());
      }
      const path = parts.slice(2).join('/');
      const document = documents.v3GroupVersion(path);
      if (!document) return undefined;
      if (!negotiate(accept, jsonOffers)) throw unacceptable(jsonOffers);
      const hash = new URL(request.url).searchParams.get('hash');
      if (hash && hash !== document.hash) {
        return new Response(null, {
          status: 301,
          headers: { Location: `/openapi/v3/${path}?hash=${document.hash}` },
        });
      }
      const caching: Record<string, string> = hash
        ? { 'Cache-Control': 'public, immutable', Expires: new Date(now + oneYearMs).toUTCString() }
        : {};
      return respondWithDocument(request, document, caching);
    },
  };
}
