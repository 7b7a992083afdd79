/**
 * `wharf up`: start the cluster, say how to use it, and stop cleanly on SIGINT/SIGTERM.
 */
import { relative } from 'node:path';
import { defaultComponents } from '../cluster/components.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import type { UpOptions } from './up-options.ts';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Resolves with the exit code once the cluster has stopped (after a signal) or failed to start. */
export async function runUp(options: UpOptions, output: Output = console): Promise<number> {
  // Listen for signals from the start: Ctrl-C while the cluster is still starting must also stop it
  // cleanly, not kill the process half-way through writing its data dir.
  let onStopRequested: (signal: NodeJS.Signals) => void = () => undefined;
  const requested: NodeJS.Signals[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    requested.push(signal);
    onStopRequested(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // A bad scheduler configuration stops `wharf up` before anything starts, as it stops kube-scheduler.
  if (options.schedulerConfig) {
    try {
      const { loadSchedulerConfiguration } = await import('../scheduler/config.ts');
      loadSchedulerConfiguration(options.schedulerConfig);
    } catch (err) {
      output.error(`error: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }

  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster({
      dataDir: options.dataDir,
      host: options.host,
      port: options.port,
      etcd: options.etcd,
      kubeconfigPath: options.kubeconfig,
      nodes: options.nodes,
      components: defaultComponents,
      ...(options.schedulerConfig ? { schedulerConfigPath: options.schedulerConfig } : {}),
      ...(options.token ? { token: options.token } : {}),
      controllerManager: {
        ...(options.nodeMonitorGracePeriodMs ? { nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs } : {}),
        ...(options.hpaSyncPeriodMs ? { hpaSyncPeriodMs: options.hpaSyncPeriodMs } : {}),
      },
    });
  } catch (err) {
    output.error(`error: ${startFailure(err, options)}`);
    return 1;
  }
  if (requested.length === 0) printReady(cluster.url, cluster.kubeconfigPath, output);

  return new Promise<number>((resolve) => {
    let isStopping = false;
    onStopRequested = (signal) => {
      if (isStopping) {
        // A second Ctrl-C means "now": do not wait for a stuck component.
        output.error(`${signal} again: exiting without a clean stop`);
        resolve(1);
        return;
      }
      isStopping = true;
      output.log(`${signal}: stopping wharf`);
      cluster.stop().then(
        () => resolve(0),
        (err: unknown) => {
          output.error(`error while stopping: ${err instanceof Error ? err.message : String(err)}`);
          resolve(1);
        },
      );
    };
    const [early] = requested;
    if (early) onStopRequested(early);
  });
}

function printReady(url: string, kubeconfigPath: string, output: Output): void {
  // performance.now() counts from process start, so this includes loading the code.
  const startedIn = Math.round(performance.now());
  const shown = relative(process.cwd(), kubeconfigPath);
  const kubeconfig = shown.startsWith('..') ? kubeconfigPath : shown;
  output.log(`wharf is ready at ${url} (started in ${startedIn} ms)`);
  output.log('');
  output.log(`  export KUBECONFIG=${kubeconfig}`);
  output.log('  kubectl get nodes');
  output.log('');
  output.log('Press Ctrl-C to stop.');
}

function startFailure(err: unknown, options: UpOptions): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return `port ${options.port} on ${options.host} is in use (pick another with --port)`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${options.host}: no such local address (see --host)`;
  if (code === 'EACCES') return `not allowed to listen on ${options.host}:${options.port}`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
