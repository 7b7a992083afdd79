/**
 * Raw HTTP access to the cluster under test, for what the typed client deliberately does not expose:
 * Accept-header negotiation (aggregated discovery, Table), query parameters such as
 * `fieldValidation`, and status codes of plain GETs (/version, /openapi/v2).
 */
import { Agent } from 'undici';
import type { FetchLike, KubeconfigOptions } from '../src/client/index.ts';

export interface RawRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  contentType?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON; throws when it is not JSON. */
  json<T = unknown>(): T;
}

export interface RawApi {
  request(r: RawRequest): Promise<RawResponse>;
  /** GET with `Accept: application/json`, throwing unless the status is 2xx. */
  getJson<T = unknown>(path: string, headers?: Record<string, string>): Promise<T>;
}

/**
 * fetch carrying the kubeconfig's TLS material. The same dispatcher serves the typed client (passed as
 * its `fetch`) and raw requests, so both share one connection pool.
 */
export function kubeconfigFetch(o: KubeconfigOptions): FetchLike {
  const connect: Record<string, unknown> = { rejectUnauthorized: !o.insecureSkipTLSVerify };
  if (o.ca) connect.ca = o.ca;
  if (o.cert) connect.cert = o.cert;
  if (o.key) connect.key = o.key;
  const dispatcher = new Agent({ connect, connections: 64 });
  return (url, init) => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (o.token && !headers.Authorization) headers.Authorization = `Bearer ${o.token}`;
    // Node's RequestInit declares its bundled undici's dispatcher type; the installed Agent works at run time.
    const withAgent: Record<string, unknown> = { ...init, headers, dispatcher };
    return fetch(url, withAgent as RequestInit);
  };
}

export function createRawApi(server: string, doFetch: FetchLike): RawApi {
  const base = server.replace(/\/+$/, '');
  async function request(r: RawRequest): Promise<RawResponse> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(r.query ?? {})) if (v !== undefined) search.set(k, String(v));
    const qs = search.toString();
    const headers: Record<string, string> = { Accept: 'application/json', ...r.headers };
    const init: RequestInit = { method: r.method ?? 'GET', headers };
    if (r.body !== undefined) {
      init.body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      headers['Content-Type'] = r.contentType ?? 'application/json';
    }
    const response = await doFetch(`${base}${r.path}${qs ? `?${qs}` : ''}`, init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: <T>() => JSON.parse(text) as T,
    };
  }
  return {
    request,
    async getJson<T>(path: string, headers?: Record<string, string>): Promise<T> {
      const response = await request(headers ? { path, headers } : { path });
      if (response.status < 200 || response.status > 299) {
        throw new Error(`GET ${path}: HTTP ${response.status}: ${response.text.slice(0, 300)}`);
      }
      return response.json<T>();
    },
  };
}
