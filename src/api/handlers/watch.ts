/** WATCH: `?watch=true` on a collection (or the old /watch/ prefix) → a streaming response (../watch.ts). */
import { negotiateFormat } from '../negotiation.ts';
import { includeObjectParam, toRequestContext, toWatchOptions } from '../query.ts';
import { encodeEventLine, tableEventEncoder, watchResponse } from '../watch.ts';
import type { ResourceRequest } from './resource-request.ts';

export async function handleWatch(r: ResourceRequest): Promise<Response> {
  const { def, namespace, name } = r.target;
  const format = negotiateFormat(r.request.headers.get('accept'), { allowTable: true, allowYaml: false });
  const includeObject = format.type === 'table' ? includeObjectParam(r.query) : 'Metadata';
  const options = toWatchOptions(r.query);
  if (name !== undefined) {
    // /watch/namespaces/<ns>/<resource>/<name>: a watch of one object is a field-selected collection watch.
    const byName = `metadata.name=${name}`;
    options.fieldSelector = options.fieldSelector ? `${options.fieldSelector},${byName}` : byName;
  }
  const context = toRequestContext({ user: r.user, userAgent: r.request.headers.get('user-agent') ?? undefined });
  const abort = new AbortController();
  r.onDisconnect?.(() => abort.abort());
  const events = r.registry.watch(def, namespace, { ...options, signal: abort.signal }, context);
  const encode =
    format.type === 'table'
      ? tableEventEncoder(def, { includeObject, version: format.version, now: r.now })
      : encodeEventLine;
  return watchResponse({ events, abort, encode, timeoutSeconds: options.timeoutSeconds });
}
