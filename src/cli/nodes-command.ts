/**
 * `wharf nodes`: start the simulated kubelets over HTTP against the kubeconfig's API server, say so,
 * and stop them on SIGINT/SIGTERM. The kubelets report wharf's own version, as a real kubelet reports
 * its own and not the API server's.
 */

import type { PodLogs } from '../nodes/logs.ts';
import { type NodesOptions, nodesUsage, parseNodesOptions } from './nodes-options.ts';
import type { Output } from './run-up.ts';
import { UsageError } from './up-options.ts';

const zones = ['zone-a', 'zone-b', 'zone-c'];

/** The `wharf nodes` entry point: resolves with the exit code. */
export async function nodesCommand(args: readonly string[], output: Output = console): Promise<number> {
  let options: NodesOptions;
  try {
    options = parseNodesOptions(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    output.error(`error: ${err.message}\n\n${nodesUsage}`);
    return 2;
  }
  if (options.help) {
    output.log(nodesUsage);
    return 0;
  }
  return runNodes(options, output);
}

export async function runNodes(options: NodesOptions, output: Output = console): Promise<number> {
  const [{ createHttpClient }, { loadKubeconfig }, { startSimulatedNodes }, { startKubeletServer }, { wharfVersion }] =
    await Promise.all([
      import('../client/http-client.ts'),
      import('../client/kubeconfig.ts'),
      import('../nodes/index.ts'),
      import('../nodes/kubelet-server.ts'),
      import('../cluster/version.ts'),
    ]);
  let stopRequested: NodeJS.Signals | undefined;
  let onStop: (signal: NodeJS.Signals) => void = (signal) => {
    stopRequested = signal;
  };
  const onSignal = (signal: NodeJS.Signals) => onStop(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let nodes: Awaited<ReturnType<typeof startSimulatedNodes>>;
  let kubeletServer: Awaited<ReturnType<typeof startKubeletServer>> | undefined;
  let server: string;
  try {
    const config = loadKubeconfig(options.kubeconfig, options.context ? { context: options.context } : {});
    server = config.server;
    // The endpoint opens before the nodes register, so the port they advertise already answers.
    const logs: { current?: PodLogs } = {};
    if (config.ca) {
      kubeletServer = await startKubeletServer({
        logs: { getLogs: (...args) => (logs.current as PodLogs).getLogs(...args) },
        clientCA: config.ca,
        host: options.nodeIP,
        port: options.kubeletPort,
      });
    } else {
      output.error('warning: the kubeconfig names no CA to check the API server by, so no kubelet endpoint is served');
    }
    nodes = await startSimulatedNodes({
      client: createHttpClient({ ...config, userAgent: `wharf-nodes/${wharfVersion.gitVersion}` }),
      nodes: Array.from({ length: options.count }, (_, i) => ({
        name: `${options.namePrefix}-${i + 1}`,
        zone: zones[i % zones.length],
        address: options.nodeIP,
        ...(kubeletServer ? { kubeletPort: kubeletServer.port } : {}),
      })),
      serverVersion: wharfVersion.gitVersion,
    });
    logs.current = nodes.logs;
  } catch (err) {
    await kubeletServer?.close();
    output.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const last = options.count > 1 ? ` … ${options.namePrefix}-${options.count}` : '';
  output.log(`wharf nodes: ${options.count} simulated node(s) joined ${server} (${options.namePrefix}-1${last})`);
  if (kubeletServer) output.log(`kubelet endpoint (logs): https://${options.nodeIP}:${kubeletServer.port}`);
  output.log('Press Ctrl-C to stop.');

  return new Promise<number>((resolve) => {
    onStop = (signal) => {
      output.log(`${signal}: stopping the simulated nodes`);
      onStop = () => resolve(1);
      Promise.all([nodes.stop(), kubeletServer?.close()]).then(
        () => resolve(0),
        (err: unknown) => {
          output.error(`error while stopping: ${err instanceof Error ? err.message : String(err)}`);
          resolve(1);
        },
      );
    };
    if (stopRequested) onStop(stopRequested);
  });
}
