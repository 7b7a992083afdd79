/**
 * The pieces `startCluster` composes, as factories, so the composition can be tested with stand-ins
 * and so each piece is loaded only when a cluster starts (see default-parts.ts).
 */
import type { Authenticate } from '../api/auth/authenticator.ts';
import type { HealthCheck } from '../api/health.ts';
import type { FetchHandler } from '../api/server.ts';
import type { PodLogs } from '../nodes/logs.ts';
import type { KeyPairPem } from '../pki/load-or-create-pki.ts';
import type { ServiceAccountTokenIssuer } from '../registry/registry-state.ts';
import type { Registry } from '../registry/types.ts';
import type { Store } from '../storage/types.ts';
import type { VersionInfo } from './version.ts';

export type StoreLocation = { dataDir: string } | { etcd: string[] };

export interface ClusterParts {
  openStore(location: StoreLocation): Promise<Store>;
  createRegistry(options: {
    store: Store;
    apiserver: { host: string; port: number };
    issueServiceAccountToken?: ServiceAccountTokenIssuer;
  }): Registry | Promise<Registry>;
  createApp(options: {
    registry: Registry;
    version: VersionInfo;
    authenticate: Authenticate;
    healthChecks?: readonly HealthCheck[];
    serverAddress?: string;
    podLogs?: { current?: PodLogs };
    kubeletClient?: KeyPairPem;
  }): {
    fetch: FetchHandler;
  };
}
