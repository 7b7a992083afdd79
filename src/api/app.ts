/**
 * createApp: the Kubernetes API as a Hono app. One catch-all route dispatches by path, in the order a
 * real apiserver does: health and /version without authentication; then authentication (401); then
 * /metrics, discovery, resource requests under /api and /apis (Status NotFound for unknown ones), and
 * `404 page not found` for any other path. Every StatusError thrown anywhere becomes its Status JSON.
 */
import { Hono } from 'hono';
import { handleMetrics } from '../metrics/metrics-handler.ts';
import { isMetricsResource, withMetricsApi } from '../metrics/resources.ts';
import type { PodLogs } from '../nodes/logs.ts';
import type { KeyPairPem } from '../pki/load-or-create-pki.ts';
import type { Registry, ResourceTable } from '../registry/types.ts';
import { internalError, isStatusError, type StatusError, unauthorized } from '../status.ts';
import type { UserInfo } from '../types/meta.ts';
import type { Authenticate } from './auth/authenticator.ts';
import { isConnectSubresource, refuseConnect } from './connect-subresource.ts';
import { createDiscovery } from './discovery/discovery.ts';
import { resourceNotFound } from './errors.ts';
import { verbHandlers } from './handlers/index.ts';
import { defaultHealthChecks, type HealthCheck, type HealthEndpoint, serveHealth } from './health.ts';
import { createMetrics, metricsContentType } from './metrics.ts';
import { metricsVerb } from './metrics-verb.ts';
import { createOpenApiRoutes } from './openapi-routes.ts';
import { servePodAttach, servePodExec } from './pod-exec.ts';
import { servePodLog } from './pod-log.ts';
import { parseResourcePath, splitPath } from './request-info.ts';
import { resolveRequest } from './resolve-request.ts';
import type { ServerBindings } from './server.ts';
import type { VersionInfo } from './version.ts';

export interface AppOptions {
  registry: Registry;
  version: VersionInfo;
  /** Undefined: no authentication configured, every request acts as `system:admin` (in-process tests). */
  authenticate?: Authenticate;
  /** Checks besides ping and log, e.g. `{ name: 'etcd', check: () => store.currentRevision() }`. */
  healthChecks?: readonly HealthCheck[];
  /** Advertised in /api's serverAddressByClientCIDRs. */
  serverAddress?: string;
  /** ms since epoch; default Date.now. */
  now?: () => number;
  /** Where pods/log reads container logs; `current` is set once simulated nodes run in this process. */
  podLogs?: { current?: PodLogs };
  /** The client certificate pods/log presents to kubelets of other processes (`wharf nodes`). */
  kubeletClient?: KeyPairPem;
}

/** Under server.ts the Node objects and the verified client certificate; with `app.request` nothing. */
type Env = { Bindings: Partial<ServerBindings> };

const healthEndpoints: ReadonlySet<string> = new Set<HealthEndpoint>(['healthz', 'livez', 'readyz']);
const admin: UserInfo = { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] };

const pageNotFound = () =>
  new Response('404 page not found\n', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });

export function statusResponse(err: StatusError): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const retryAfter = err.status.details?.retryAfterSeconds;
  if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
  return new Response(JSON.stringify(err.status), { status: err.status.code, headers });
}

export function createApp(options: AppOptions): Hono<Env> {
  const { registry } = options;
  const now = options.now ?? Date.now;
  const checks = defaultHealthChecks(options.healthChecks);
  const metrics = createMetrics();
  // The served table: the registry's plus metrics.k8s.io, which the API layer computes (as an APIService).
  const resources = withMetricsApi(registry.resources);
  const discovery = createDiscovery(resources, options.serverAddress ? { serverAddress: options.serverAddress } : {});
  const versionBody = JSON.stringify(options.version, null, 2);
  const openapi = createOpenApiRoutes(registry.resources, { version: options.version.gitVersion });
  const app = new Hono<Env>();

  app.onError((err) => errorResponse(err));

  app.all('*', async (c) => {
    const started = performance.now();
    const url = new URL(c.req.url);
    const query = url.searchParams;
    const labels = { verb: c.req.method, resource: '' };
    let response: Response;
    try {
      const parts = splitPath(url.pathname);
      const [first] = parts;
      if (parts.length === 1 && first === 'version') {
        return new Response(versionBody, { headers: { 'Content-Type': 'application/json' } });
      }
      if (first !== undefined && healthEndpoints.has(first)) {
        return await serveHealth(first as HealthEndpoint, checks, parts.slice(1), query);
      }
      const user = authenticateRequest(options.authenticate, c.req.raw, c.env?.peerCertificate);
      if (!user) throw unauthorized();
      if (parts.length === 1 && first === 'metrics') {
        return new Response(metrics.render(), { headers: { 'Content-Type': metricsContentType } });
      }
      const discovered =
        discovery.serve(parts, c.req.header('accept') ?? null, c.req.header('if-none-match') ?? null) ??
        openapi.serve(parts, c.req.raw);
      if (discovered) response = discovered;
      else if (first === 'api' || first === 'apis') {
        response = await serveResource({
          registry,
          resources,
          podLogs: options.podLogs,
          kubeletClient: options.kubeletClient,
          now,
          user,
          url,
          query,
          request: c.req.raw,
          env: c.env,
          labels,
        });
      } else response = pageNotFound();
    } catch (err) {
      // Answered here rather than in onError so that failed requests count in the metrics too.
      response = errorResponse(err);
    }
    metrics.observe(labels.verb, labels.resource, response.status, (performance.now() - started) / 1000);
    return response;
  });
  return app;
}

/** The certificate comes only from server.ts, which passes it on after TLS verified it against the CA. */
function authenticateRequest(
  authenticate: Authenticate | undefined,
  request: Request,
  peerCertificate: ServerBindings['peerCertificate'],
): UserInfo | undefined {
  if (!authenticate) return admin;
  return authenticate(peerCertificate ? { headers: request.headers, peerCertificate } : { headers: request.headers });
}

function errorResponse(err: unknown): Response {
  if (isStatusError(err)) return statusResponse(err);
  console.error('unhandled error serving request:', err);
  return statusResponse(internalError(err));
}

/** A request under /api or /apis that is not discovery: resolve the resource and verb, run the handler. */
async function serveResource(o: {
  registry: Registry;
  resources: ResourceTable;
  podLogs: AppOptions['podLogs'];
  kubeletClient: AppOptions['kubeletClient'];
  now: () => number;
  user: UserInfo;
  url: URL;
  query: URLSearchParams;
  request: Request;
  env: Env['Bindings'] | undefined;
  labels: { verb: string; resource: string };
}): Promise<Response> {
  const path = parseResourcePath(o.url.pathname);
  if (!path) throw resourceNotFound();
  const target = resolveRequest(o.resources, o.request.method, path, o.query);
  o.labels.resource = target.subresource ? `${target.def.plural}/${target.subresource.name}` : target.def.plural;
  o.labels.verb = metricsVerb(target.verb, o.request.headers.get('content-type') ?? undefined);
  const outgoing = o.env?.outgoing;
  // The response's 'close', not the request's: Node fires the latter once the request body is read.
  const onDisconnect = outgoing ? (listener: () => void) => outgoing.once('close', listener) : undefined;
  if (isMetricsResource(target.def)) {
    return handleMetrics({
      registry: o.registry,
      target,
      request: o.request,
      query: o.query,
      user: o.user,
      now: o.now(),
    });
  }
  if (target.subresource?.name === 'log' && target.def.group === '' && target.def.plural === 'pods') {
    return servePodLog({
      registry: o.registry,
      podLogs: o.podLogs,
      kubeletClient: o.kubeletClient,
      target,
      query: o.query,
      user: o.user,
      onDisconnect,
    });
  }
  const stream = target.def.group === '' && target.def.plural === 'pods' ? target.subresource?.name : undefined;
  if (stream === 'exec' || stream === 'attach') {
    const request = {
      registry: o.registry,
      resources: o.resources,
      target,
      request: o.request,
      query: o.query,
      user: o.user,
      upgrade: o.env?.upgrade,
      now: o.now,
    };
    return stream === 'exec' ? servePodExec(request) : servePodAttach({ ...request, podLogs: o.podLogs?.current });
  }
  if (isConnectSubresource(target)) return refuseConnect(o.registry, target, o.user);
  return verbHandlers[target.verb]({
    registry: o.registry,
    target,
    request: o.request,
    query: o.query,
    user: o.user,
    now: o.now,
    onDisconnect,
  });
}
