/**
 * `startCluster`: store → registry → API app → HTTPS server, then the kubeconfig, then the components
 * that act as API clients (scheduler, controllers, simulated nodes). Stopping runs in reverse order.
 */
import { resolve } from 'node:path';
import { createAuthenticator } from '../api/auth/authenticator.ts';
import { issueServiceAccountToken } from '../api/auth/service-account-token.ts';
import { type FetchHandler, type RunningServer, startServer } from '../api/server.ts';
import type { PodLogs } from '../nodes/logs.ts';
import { loadOrCreatePki, type Pki } from '../pki/load-or-create-pki.ts';
import type { Registry } from '../registry/types.ts';
import { serviceUnavailable } from '../status.ts';
import type { Store } from '../storage/types.ts';
import type { ClusterParts, StoreLocation } from './cluster-parts.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { wharfVersion } from './version.ts';

export interface ClusterContext {
  registry: Registry;
  store: Store;
  /** The API server's URL, e.g. `https://127.0.0.1:6443`. */
  url: string;
  kubeconfigPath: string;
  /** How many simulated nodes `--nodes` asked for. */
  nodes: number;
  pki: Pki;
  /** Where pods/log finds container logs once the simulated nodes run (the API reads it per request). */
  podLogs: { current?: PodLogs };
  /** Timings `wharf up` passes to the controller manager. */
  controllerManager: ControllerManagerTimings;
  /** A KubeSchedulerConfiguration file for the scheduler (`--scheduler-config`); default profile without. */
  schedulerConfigPath?: string;
}

export interface ControllerManagerTimings {
  nodeMonitorGracePeriodMs?: number;
  hpaSyncPeriodMs?: number;
}

export interface Component {
  stop(): Promise<void>;
}

/** Started after the server is ready, in order; stopped in reverse. */
export type ComponentFactory = (context: ClusterContext) => Promise<Component>;

export interface ClusterOptions {
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Use these etcd endpoints instead of the embedded store. */
  etcd?: string[];
  kubeconfigPath: string;
  token?: string;
  nodes: number;
  components?: readonly ComponentFactory[];
  controllerManager?: ControllerManagerTimings;
  schedulerConfigPath?: string;
  /** Default: the real store, registry and API (loaded on demand). */
  parts?: ClusterParts;
}

export interface Cluster extends ClusterContext {
  port: number;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = resolve(options.dataDir);
  const pki = loadOrCreatePki(dataDir, { host: options.host, ...(options.token ? { token: options.token } : {}) });
  const parts = options.parts ?? (await import('./default-parts.ts')).defaultParts;
  const location: StoreLocation = options.etcd?.length ? { etcd: options.etcd } : { dataDir };

  // Listen before the registry exists: the registry needs the real port (for the `kubernetes`
  // Service), and until the app is in place every request gets 503 and /readyz says not ready.
  let handler: FetchHandler = notReady;
  const stack: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const undo of stack.splice(0).reverse()) await undo();
  };
  try {
    const [store, server] = await Promise.all([
      parts.openStore(location),
      startServer({
        fetch: (request, env) => handler(request, env),
        host: options.host,
        port: options.port,
        tls: { key: pki.serving.key, cert: pki.serving.certificate, ca: pki.caCertificate },
      }),
    ]);
    stack.push(
      () => store.close(),
      () => server.close(),
    );
    const apiserver = { host: advertisedHost(options.host), port: server.port };
    const registry = await parts.createRegistry({
      store,
      apiserver,
      issueServiceAccountToken: ({ namespace, serviceAccount, spec, expirationSeconds, now }) =>
        issueServiceAccountToken(pki.serviceAccountKey, {
          namespace,
          name: serviceAccount.metadata.name ?? '',
          uid: serviceAccount.metadata.uid ?? '',
          expirationSeconds,
          now: new Date(now),
          ...(spec.audiences?.length ? { audiences: spec.audiences } : {}),
          ...(spec.boundObjectRef?.kind && spec.boundObjectRef.name
            ? {
                boundObjectRef: {
                  ...spec.boundObjectRef,
                  kind: spec.boundObjectRef.kind,
                  name: spec.boundObjectRef.name,
                },
              }
            : {}),
        }).token,
    });
    const podLogs: ClusterContext['podLogs'] = {};
    const app = parts.createApp({
      registry,
      version: wharfVersion,
      authenticate: createAuthenticator({
        adminToken: pki.adminToken,
        serviceAccountPublicKey: pki.serviceAccountPublicKey,
      }),
      healthChecks: [{ name: 'etcd', check: async () => void (await store.currentRevision()) }],
      serverAddress: new URL(clientUrl(apiserver, server)).host,
      podLogs,
      kubeletClient: pki.kubeletClient,
    });
    handler = app.fetch;

    const url = clientUrl(apiserver, server);
    const kubeconfigPath = resolve(options.kubeconfigPath);
    writeKubeconfig(kubeconfigPath, {
      server: url,
      caCertificate: pki.caCertificate,
      clientCertificate: pki.admin.certificate,
      clientKey: pki.admin.key,
    });
    const context: ClusterContext = {
      registry,
      store,
      url,
      kubeconfigPath,
      nodes: options.nodes,
      pki,
      podLogs,
      controllerManager: options.controllerManager ?? {},
      ...(options.schedulerConfigPath ? { schedulerConfigPath: resolve(options.schedulerConfigPath) } : {}),
    };
    for (const start of options.components ?? []) {
      const component = await start(context);
      stack.push(() => component.stop());
    }
    return { ...context, port: server.port, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function notReady(): Response {
  const error = serviceUnavailable('the API server is starting');
  return Response.json(error.status, { status: error.code });
}

/** The address clients (and pods, via the `kubernetes` Service) use; "every interface" is not one. */
function advertisedHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host.replace(/^\[(.*)\]$/, '$1');
}

function clientUrl(apiserver: { host: string; port: number }, server: RunningServer): string {
  const host = apiserver.host.includes(':') ? `[${apiserver.host}]` : apiserver.host;
  return `${server.url.startsWith('https') ? 'https' : 'http'}://${host}:${apiserver.port}`;
}
