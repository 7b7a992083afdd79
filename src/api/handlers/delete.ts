/**
 * DELETE of one object and of a collection (contract §12.9). Most kinds answer a Success Status; kinds
 * whose strategy says so (pods, serviceaccounts, PVs, PVCs) and pending deletions answer the object;
 * 202 only for the legacy `orphanDependents: false` while the deletion is pending.
 */
import { successStatus } from '../../status.ts';
import type { DeleteOptions } from '../../types/meta.ts';
import { decodeOptionsBody } from '../body/decode-body.ts';
import { readBody } from '../body/read-body.ts';
import { toDeleteOptions } from '../delete-options.ts';
import { negotiateFormat } from '../negotiation.ts';
import { dryRunParam, toListOptions, toRequestContext } from '../query.ts';
import { respondValue } from '../respond.ts';
import type { ResourceRequest } from './resource-request.ts';

async function deleteOptionsOf(r: ResourceRequest): Promise<DeleteOptions> {
  const body = decodeOptionsBody(await readBody(r.request), r.request.headers.get('content-type'));
  const options = toDeleteOptions(r.query, body);
  // A body without dryRun still honours ?dryRun=All, which some clients put in the query.
  if (body && !options.dryRun && dryRunParam(r.query.getAll('dryRun'))) options.dryRun = ['All'];
  return options;
}

function contextOf(r: ResourceRequest, options: DeleteOptions) {
  return toRequestContext(
    { user: r.user, userAgent: r.request.headers.get('user-agent') ?? undefined },
    { dryRun: options.dryRun?.includes('All') ?? false },
  );
}

export async function handleDelete(r: ResourceRequest): Promise<Response> {
  const { def, namespace, name } = r.target;
  const format = negotiateFormat(r.request.headers.get('accept'), { allowTable: false, allowYaml: true });
  const encoding = format.type === 'yaml' ? 'yaml' : 'json';
  const options = await deleteOptionsOf(r);
  const context = contextOf(r, options);
  const result = await r.registry.delete(def, namespace, name as string, options, context);
  const respond = (body: unknown, status: number) =>
    respondValue(body, encoding, { status, warnings: context.warnings });
  if (result.pending) return respond(result.object, options.orphanDependents === false ? 202 : 200);
  if (def.strategy.deleteReturnsObject) return respond(result.object, 200);
  const details: Record<string, string> = { name: name as string };
  if (def.group) details.group = def.group;
  details.kind = def.plural;
  const uid = result.object.metadata?.uid;
  if (uid) details.uid = uid;
  return respond(successStatus(details), 200);
}

export async function handleDeleteCollection(r: ResourceRequest): Promise<Response> {
  const { def, namespace } = r.target;
  const format = negotiateFormat(r.request.headers.get('accept'), { allowTable: false, allowYaml: true });
  const listOptions = toListOptions(r.query);
  const options = await deleteOptionsOf(r);
  const context = contextOf(r, options);
  const list = await r.registry.deleteCollection(def, namespace, listOptions, options, context);
  return respondValue(list, format.type === 'yaml' ? 'yaml' : 'json', { status: 200, warnings: context.warnings });
}
