/**
 * A document served from memory: its bytes, its ETag (uppercase hex SHA-512, as kube-openapi makes
 * them) and, made on first ask, its gzip form. Answers conditional requests with 304 and compresses
 * when the client accepts gzip, as kube-openapi's handler does through http.ServeContent.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const utf8 = new TextEncoder();

export interface ServedDocument {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Uppercase hex SHA-512 of `hashed` (default: the body). */
  readonly hash: string;
  gzipped(): Uint8Array;
}

export function sha512Hex(data: Uint8Array | string): string {
  return createHash('sha512').update(data).digest('hex').toUpperCase();
}

export function servedDocument(
  body: Uint8Array | string,
  contentType: string,
  hashed?: Uint8Array | string,
): ServedDocument {
  const bytes = typeof body === 'string' ? utf8.encode(body) : body;
  let gzipped: Uint8Array | undefined;
  return {
    body: bytes,
    contentType,
    hash: sha512Hex(hashed ?? bytes),
    gzipped: () => {
      gzipped ??= gzipSync(bytes);
      return gzipped;
    },
  };
}

/** True when an If-None-Match header names this ETag (or `*`); weak validators compare equal. */
export function matchesETag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

function acceptsGzip(header: string | null): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';');
    if (coding?.trim().toLowerCase() !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** The document as a response to `request`: 304 when the client has it, gzip when asked. */
export function respondWithDocument(
  request: Request,
  document: ServedDocument,
  extraHeaders: Record<string, string> = {},
): Response {
  const etag = `"${document.hash}"`;
  const headers: Record<string, string> = { ETag: etag, Vary: 'Accept', ...extraHeaders };
  if (matchesETag(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  headers['Content-Type'] = document.contentType;
  const isHead = request.method === 'HEAD';
  if (acceptsGzip(request.headers.get('accept-encoding'))) {
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept, Accept-Encoding';
    return new Response(isHead ? null : document.gzipped(), { status: 200, headers });
  }
  return new Response(isHead ? null : document.body, { status: 200, headers });
}
