/**
 * The HTTP client: standard Kubernetes REST paths only, so it works against wharf and any real cluster.
 * `fetch` is injectable: tests pass the Hono app's `request` and exercise the whole HTTP layer without
 * a socket. TLS material (CA, client certificate) goes through an undici Agent as fetch's dispatcher.
 */
import { Agent } from 'undici';
import { StatusError } from '../status.ts';
import type { DeleteOptions, KubeList, KubeObject } from '../types/meta.ts';
import { isStatus, toStatusError } from './http-errors.ts';
import { queryString, resourcePath } from './http-paths.ts';
import type { ClientWatchEvent, KubeClient, PatchType, ResourceClient, ResourceRef, ServedResource } from './types.ts';
import { uniqueResources } from './unique-resources.ts';
import { jsonLines } from './watch-lines.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response> | Response;

export interface HttpClientOptions {
  /** Base URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  fetch?: FetchLike;
  /** PEM strings. */
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
}

const patchContentTypes: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // JSON is valid YAML, so the body is sent as JSON either way.
  apply: 'application/apply-patch+yaml',
};

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export function createHttpClient(options: HttpClientOptions): KubeClient {
  const base = options.server.replace(/\/+$/, '');
  const doFetch = options.fetch ?? nodeFetch(options);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.userAgent) headers['User-Agent'] = options.userAgent;

  async function send(call: Call): Promise<Response> {
    const init: RequestInit = { method: call.method, headers: { ...headers } };
    if (call.body !== undefined) {
      init.body = JSON.stringify(call.body);
      (init.headers as Record<string, string>)['Content-Type'] = call.contentType ?? 'application/json';
    }
    if (call.signal) init.signal = call.signal;
    const response = await doFetch(`${base}${call.path}${queryString(call.query ?? {})}`, init);
    if (!response.ok) throw toStatusError(response.status, await response.text());
    return response;
  }
  async function json<R>(call: Call): Promise<R> {
    return (await (await send(call)).json()) as R;
  }

  return {
    resource<T extends KubeObject>(ref: ResourceRef<T>): ResourceClient<T> {
      return httpResourceClient<T>(ref, send, json);
    },
    async serverResources() {
      return discoverResources(json);
    },
  };
}

function httpResourceClient<T extends KubeObject>(
  ref: ResourceRef<T>,
  send: (call: Call) => Promise<Response>,
  json: <R>(call: Call) => Promise<R>,
): ResourceClient<T> {
  const path = (namespace: string | undefined, name?: string, subresource?: string) =>
    resourcePath(ref, namespace, name, subresource);
  const ofObject = (o: KubeObject, subresource?: string) =>
    path(ref.namespaced ? o.metadata.namespace : undefined, o.metadata.name ?? '', subresource);
  const deleteBody = (o: DeleteOptions = {}) => ({ kind: 'DeleteOptions', apiVersion: 'v1', ...o });

  return {
    get: (name, namespace) => json<T>({ method: 'GET', path: path(namespace, name) }),
    getSubresource: (name, namespace, subresource) =>
      json<KubeObject>({ method: 'GET', path: path(namespace, name, subresource) }),
    list: ({ namespace, ...query } = {}) => json<KubeList<T>>({ method: 'GET', path: path(namespace), query }),
    create: (object) =>
      json<T>({ method: 'POST', path: path(ref.namespaced ? object.metadata.namespace : undefined), body: object }),
    update: (object) => json<T>({ method: 'PUT', path: ofObject(object), body: object }),
    updateStatus: (object) => json<T>({ method: 'PUT', path: ofObject(object, 'status'), body: object }),
    updateSubresource: (object, subresource) =>
      json<KubeObject>({ method: 'PUT', path: ofObject(object, subresource), body: object }),
    patch: (name, namespace, type, body, o = {}) =>
      json<T>({
        method: 'PATCH',
        path: path(namespace, name, o.subresource),
        query: { fieldManager: o.fieldManager, force: o.force },
        body,
        contentType: patchContentTypes[type],
      }),
    async delete(name, namespace, o) {
      await send({ method: 'DELETE', path: path(namespace, name), body: deleteBody(o) });
    },
    async deleteCollection({ namespace, labelSelector, fieldSelector, ...o } = {}) {
      await send({
        method: 'DELETE',
        path: path(namespace),
        query: { labelSelector, fieldSelector },
        body: deleteBody(o),
      });
    },
    watch: ({ namespace, signal, ...query }) => watchEvents<T>(send, path(namespace), query, signal),
    createSubresource: (name, namespace, subresource, body) =>
      json<unknown>({ method: 'POST', path: path(namespace, name, subresource), body }),
  };
}

async function* watchEvents<T extends KubeObject>(
  send: (call: Call) => Promise<Response>,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  signal: AbortSignal,
): AsyncIterable<ClientWatchEvent<T>> {
  let response: Response;
  try {
    response = await send({ method: 'GET', path, query: { ...query, watch: true }, signal });
  } catch (err) {
    if (signal.aborted && !(err instanceof StatusError)) return;
    throw err;
  }
  if (!response.body) return;
  for await (const line of jsonLines(response.body, signal)) {
    const event = line as { type?: string; object?: unknown };
    if (event.type === 'ERROR') {
      if (isStatus(event.object)) throw new StatusError(event.object);
      throw toStatusError(500, JSON.stringify(event.object));
    }
    yield event as ClientWatchEvent<T>;
  }
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}
interface GroupVersion {
  groupVersion: string;
  version: string;
}
interface APIGroup {
  name: string;
  versions: GroupVersion[];
  preferredVersion?: GroupVersion;
}

/** Legacy discovery (`/api`, `/apis`, then one document per group/version), preferred versions first. */
async function discoverResources(
  json: <R>(call: Call) => Promise<R>,
): Promise<{ resources: ServedResource[]; failedGroups: string[] }> {
  const core = await json<{ versions: string[] }>({ method: 'GET', path: '/api' });
  const groups = await json<{ groups: APIGroup[] }>({ method: 'GET', path: '/apis' });
  const targets: Array<{ group: string; version: string; path: string }> = core.versions.map((version) => ({
    group: '',
    version,
    path: `/api/${version}`,
  }));
  for (const g of groups.groups) {
    const preferred = g.preferredVersion?.version;
    const versions = [...g.versions].sort((a, b) => Number(b.version === preferred) - Number(a.version === preferred));
    for (const v of versions) targets.push({ group: g.name, version: v.version, path: `/apis/${v.groupVersion}` });
  }
  const failedGroups: string[] = [];
  const lists = await Promise.all(
    targets.map(async (t) => {
      try {
        return { t, list: await json<{ resources: APIResource[] }>({ method: 'GET', path: t.path }) };
      } catch (err) {
        const groupVersion = t.group ? `${t.group}/${t.version}` : t.version;
        failedGroups.push(`${groupVersion}: ${err instanceof Error ? err.message : String(err)}`);
        return { t, list: { resources: [] } };
      }
    }),
  );
  const resources = lists.flatMap(({ t, list }) =>
    list.resources.map((r) => ({
      group: t.group,
      version: t.version,
      kind: r.kind,
      plural: r.name,
      namespaced: r.namespaced,
      verbs: r.verbs,
    })),
  );
  return { resources: uniqueResources(resources), failedGroups };
}

/** Node's fetch, with an undici Agent carrying TLS material when there is any. */
function nodeFetch(o: HttpClientOptions): FetchLike {
  if (!o.ca && !o.cert && !o.insecureSkipTLSVerify) return (url, init) => fetch(url, init);
  const connect: Record<string, unknown> = { rejectUnauthorized: !o.insecureSkipTLSVerify };
  if (o.ca) connect.ca = o.ca;
  if (o.cert) connect.cert = o.cert;
  if (o.key) connect.key = o.key;
  const dispatcher = new Agent({ connect });
  // Node's RequestInit types `dispatcher` with its bundled undici's classes; the installed undici 7
  // Agent is accepted at run time (checked by http-client.test.ts), only the declared types differ.
  return (url, init) => {
    const withAgent: Record<string, unknown> = { ...init, dispatcher };
    return fetch(url, withAgent as RequestInit);
  };
}
