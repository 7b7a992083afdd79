/**
 * Writing non-streaming responses: JSON or YAML bodies, gzip for large bodies when the client accepts
 * it, and one `Warning: 299 - "<text>"` header per warning (RFC 7234 warn-text, `"` and `\` escaped).
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { dump } from 'js-yaml';

const gzip = promisify(gzipCallback);

/**
 * apiserver compresses only responses of at least 128 KiB (filters/compression.go defaultGzipThresholdBytes),
 * at level 1, since smaller bodies cost more CPU to compress than they save on the wire.
 */
export const gzipThresholdBytes = 128 * 1024;
const gzipLevel = 1;

const encoder = new TextEncoder();

export const jsonContentType = 'application/json';
export const yamlContentType = 'application/yaml';

export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function acceptsGzip(acceptEncoding: string | null | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export interface RespondOptions {
  status: number;
  contentType: string;
  warnings?: readonly string[] | undefined;
  acceptEncoding?: string | null | undefined;
  headers?: Record<string, string>;
}

/**
 * A finished response from bytes; gzipped when large and accepted. Headers are a plain record, which
 * @hono/node-server writes straight to the socket (a Headers instance costs a conversion per response);
 * several warnings therefore share one comma-separated `Warning` header, which HTTP treats as equivalent
 * and client-go splits back into warnings.
 */
export async function respondBytes(body: Uint8Array, o: RespondOptions): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': o.contentType, ...o.headers };
  if (o.warnings?.length) headers.Warning = o.warnings.map(warningHeaderValue).join(', ');
  let payload: Uint8Array = body;
  if (body.byteLength >= gzipThresholdBytes && acceptsGzip(o.acceptEncoding)) {
    payload = await gzip(body, { level: gzipLevel });
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept-Encoding';
  }
  headers['Content-Length'] = String(payload.byteLength);
  return new Response(payload as Uint8Array<ArrayBuffer>, { status: o.status, headers });
}

/** A body whose length is known before its bytes exist, produced piece by piece. */
export interface ChunkedBody {
  byteLength: number;
  chunks: Iterator<Uint8Array, void, undefined>;
}

/**
 * Bodies up to this size go out as one buffer; larger ones are written chunk by chunk as the socket
 * drains, so a 150,000-pod list never exists as one 200 MB buffer (nor as its TLS-encrypted copy).
 */
export const streamThresholdBytes = 8 * 1024 * 1024;

/** A finished response from a chunked body: streamed with its Content-Length when large and not gzipped. */
export async function respondChunked(body: ChunkedBody, o: RespondOptions): Promise<Response> {
  if (body.byteLength < streamThresholdBytes || acceptsGzip(o.acceptEncoding)) {
    const parts: Uint8Array[] = [];
    for (let next = body.chunks.next(); !next.done; next = body.chunks.next()) parts.push(next.value);
    return respondBytes(parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, body.byteLength), o);
  }
  const headers: Record<string, string> = { 'Content-Type': o.contentType, ...o.headers };
  if (o.warnings?.length) headers.Warning = o.warnings.map(warningHeaderValue).join(', ');
  headers['Content-Length'] = String(body.byteLength);
  const { chunks } = body;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel() {
        chunks.return?.();
      },
    },
    // Produce a chunk only when the previous one was taken: the socket's drain paces the work.
    { highWaterMark: 0 },
  );
  return new Response(stream, { status: o.status, headers });
}

/** JSON or YAML text of a value. */
export function encodeValue(value: unknown, format: 'json' | 'yaml'): Uint8Array {
  if (format === 'yaml') return encoder.encode(dump(value, { noRefs: true, lineWidth: -1 }));
  return encoder.encode(JSON.stringify(value));
}

export function respondValue(
  value: unknown,
  format: 'json' | 'yaml',
  o: Omit<RespondOptions, 'contentType'>,
): Promise<Response> {
  return respondBytes(encodeValue(value, format), {
    ...o,
    contentType: format === 'yaml' ? yamlContentType : jsonContentType,
  });
}
