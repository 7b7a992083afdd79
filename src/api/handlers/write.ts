/**
 * POST (create, or a subresource such as binding/eviction/token), PUT (update) and PATCH. Writes answer
 * 201 when they created the object and 200 otherwise, plus any warnings the registry collected.
 */
import type { RequestContext, WriteOptions, WriteResult } from '../../registry/types.ts';
import { decodeObjectBody, decodePatchBody } from '../body/decode-body.ts';
import { readBody } from '../body/read-body.ts';
import { negotiateFormat } from '../negotiation.ts';
import { toRequestContext, toWriteParams, type WriteParams } from '../query.ts';
import { respondValue } from '../respond.ts';
import type { ResourceRequest } from './resource-request.ts';

function contextOf(r: ResourceRequest, params: WriteParams): RequestContext {
  return toRequestContext({ user: r.user, userAgent: r.request.headers.get('user-agent') ?? undefined }, params);
}

function writeFormat(r: ResourceRequest) {
  const format = negotiateFormat(r.request.headers.get('accept'), { allowTable: false, allowYaml: true });
  return format.type === 'yaml' ? 'yaml' : 'json';
}

function respondWrite(r: ResourceRequest, result: WriteResult, context: RequestContext, format: 'json' | 'yaml') {
  return respondValue(result.object, format, {
    status: result.created ? 201 : 200,
    warnings: context.warnings,
    acceptEncoding: r.request.headers.get('accept-encoding'),
  });
}

export async function handleCreate(r: ResourceRequest): Promise<Response> {
  const { def, namespace, name, subresource } = r.target;
  const format = writeFormat(r);
  const params = toWriteParams(r.query, 'create', false);
  const body = decodeObjectBody(await readBody(r.request), r.request.headers.get('content-type'), def, subresource);
  const context = contextOf(r, params);
  if (subresource) {
    const result = await r.registry.createSubresource(def, namespace, name as string, subresource.name, body, context);
    return respondValue(result.object, format, { status: result.code, warnings: context.warnings });
  }
  return respondWrite(r, await r.registry.create(def, namespace, body, context), context, format);
}

export async function handleUpdate(r: ResourceRequest): Promise<Response> {
  const { def, namespace, name, subresource } = r.target;
  const format = writeFormat(r);
  const params = toWriteParams(r.query, 'update', false);
  const body = decodeObjectBody(await readBody(r.request), r.request.headers.get('content-type'), def, subresource);
  const context = contextOf(r, params);
  const options: WriteOptions = {};
  if (subresource) options.subresource = subresource.name;
  return respondWrite(
    r,
    await r.registry.update(def, namespace, name as string, body, context, options),
    context,
    format,
  );
}

export async function handlePatch(r: ResourceRequest): Promise<Response> {
  const { def, namespace, name, subresource } = r.target;
  const format = writeFormat(r);
  // Content-Type first: a wrong patch type is a 415 whatever the query says.
  const bytes = await readBody(r.request);
  const { type, patch } = decodePatchBody(bytes, r.request.headers.get('content-type'));
  const params = toWriteParams(r.query, 'patch', type === 'apply');
  const context = contextOf(r, params);
  const options: WriteOptions = {};
  if (subresource) options.subresource = subresource.name;
  if (params.force !== undefined) options.force = params.force;
  const result = await r.registry.patch(def, namespace, name as string, type, patch, context, options);
  return respondWrite(r, result, context, format);
}
