/** One connection to the cluster under test, built from a kubeconfig only (no wharf internals). */
import { spawnSync } from 'node:child_process';
import { createHttpClient, loadKubeconfig } from '../src/client/index.ts';
import { kubectlRunner } from './kubectl.ts';
import { createRawApi, kubeconfigFetch } from './raw-api.ts';
import type { Connection } from './suite.ts';

export function connect(kubeconfigPath: string, o: { cacheDir: string }): Connection {
  const options = loadKubeconfig(kubeconfigPath);
  const doFetch = kubeconfigFetch(options);
  const client = createHttpClient({ server: options.server, fetch: doFetch, userAgent: 'wharf-conformance' });
  const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  return {
    client,
    api: createRawApi(options.server, doFetch),
    kubeconfigPath,
    hasKubectl,
    kubectl: (namespace) => kubectlRunner({ kubeconfigPath, namespace, cacheDir: o.cacheDir }),
  };
}
