/**
 * GET of one object and LIST of a collection. Plain JSON goes through the registry's encoded fast path
 * when it has one (stored bytes spliced together, never parsed); Tables and YAML build from objects.
 */
import type { EncodedList } from '../../registry/types.ts';
import type { KubeObject } from '../../types/meta.ts';
import { negotiateFormat } from '../negotiation.ts';
import { includeObjectParam, toListOptions, toRequestContext } from '../query.ts';
import { type ChunkedBody, jsonContentType, respondBytes, respondChunked, respondValue } from '../respond.ts';
import { defaultPrinter, toTable } from '../table.ts';
import type { ResourceRequest } from './resource-request.ts';

const encoder = new TextEncoder();
const listTail = encoder.encode(']}');
/** Big enough that per-chunk overhead is noise, small enough to stay out of page-fault territory. */
const listChunkBytes = 256 * 1024;

export async function handleGet(r: ResourceRequest): Promise<Response> {
  const { def, namespace, name, subresource } = r.target;
  const format = negotiateFormat(r.request.headers.get('accept'), { allowTable: true, allowYaml: true });
  const includeObject = format.type === 'table' ? includeObjectParam(r.query) : 'Metadata';
  const context = toRequestContext({ user: r.user, userAgent: r.request.headers.get('user-agent') ?? undefined });
  const options: { resourceVersion?: string; subresource?: string } = {};
  const resourceVersion = r.query.get('resourceVersion');
  if (resourceVersion) options.resourceVersion = resourceVersion;
  if (subresource) options.subresource = subresource.name;
  const respondOptions = {
    status: 200,
    warnings: context.warnings,
    acceptEncoding: r.request.headers.get('accept-encoding'),
  };
  if (format.type === 'json' && !subresource && r.registry.getEncoded) {
    const bytes = await r.registry.getEncoded(def, namespace, name as string, options, context);
    if (bytes) return respondBytes(bytes, { ...respondOptions, contentType: jsonContentType });
  }
  const object = (await r.registry.get(def, namespace, name as string, options, context)) as KubeObject;
  if (format.type === 'table') {
    // A subresource of another kind (scale) has no printer of its own: apiserver uses the default table.
    const tableDef = subresource && subresource.kind !== def.kind ? { ...def, printer: defaultPrinter } : def;
    const resourceVersionOf = object.metadata?.resourceVersion;
    const table = toTable(tableDef, [object], resourceVersionOf ? { resourceVersion: resourceVersionOf } : {}, {
      includeObject,
      version: format.version,
      now: r.now(),
    });
    return respondValue(table, 'json', respondOptions);
  }
  return respondValue(object, format.type, respondOptions);
}

export async function handleList(r: ResourceRequest): Promise<Response> {
  const { def, namespace } = r.target;
  const format = negotiateFormat(r.request.headers.get('accept'), { allowTable: true, allowYaml: true });
  const includeObject = format.type === 'table' ? includeObjectParam(r.query) : 'Metadata';
  const options = toListOptions(r.query);
  const context = toRequestContext({ user: r.user, userAgent: r.request.headers.get('user-agent') ?? undefined });
  const respondOptions = {
    status: 200,
    warnings: context.warnings,
    acceptEncoding: r.request.headers.get('accept-encoding'),
  };
  if (format.type === 'json' && r.registry.listEncoded) {
    const encoded = await r.registry.listEncoded(def, namespace, options, context);
    if (encoded)
      return respondChunked(listBody(`${def.kind}List`, listApiVersion(def), encoded), {
        ...respondOptions,
        contentType: jsonContentType,
      });
  }
  const list = await r.registry.list(def, namespace, options, context);
  if (format.type === 'table') {
    const table = toTable(def, list.items, list.metadata, { includeObject, version: format.version, now: r.now() });
    return respondValue(table, 'json', respondOptions);
  }
  return respondValue(list, format.type, respondOptions);
}

function listApiVersion(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** `{"kind":..,"apiVersion":..,"metadata":..,"items":[a,b,..]}` around already-encoded items. */
function listBody(kind: string, apiVersion: string, encoded: EncodedList): ChunkedBody {
  const head = encoder.encode(
    `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(encoded.metadata)},"items":[`,
  );
  const items = encoded.items;
  function* chunks() {
    yield head;
    yield* items.chunks(listChunkBytes);
    yield listTail;
  }
  return { byteLength: head.byteLength + items.byteLength + listTail.byteLength, chunks: chunks() };
}
