/**
 * Flags of `wharf up`, parsed with node:util parseArgs. Errors are thrown as `UsageError` so the
 * entry point can print them with the usage text and exit 2, as command-line tools conventionally do.
 */
import { parseArgs } from 'node:util';

export interface UpOptions {
  port: number;
  nodes: number;
  dataDir: string;
  etcd: string[];
  host: string;
  kubeconfig: string;
  token?: string;
  /** A KubeSchedulerConfiguration file (kube-scheduler's --config). */
  schedulerConfig?: string;
  /** Controller-manager timings (kube-controller-manager's flags of the same names); tests shorten them. */
  nodeMonitorGracePeriodMs?: number;
  hpaSyncPeriodMs?: number;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const upUsage = `Usage: wharf up [flags]

Start a Kubernetes-compatible cluster in the foreground: API server, scheduler, controllers and
simulated nodes. Ctrl-C stops it; starting again on the same data dir keeps every object.

Flags:
  --port N           HTTPS port of the API server (default 6443; 0 picks a free one)
  --nodes N          number of simulated worker nodes (default 3)
  --data-dir DIR     where objects, the CA and credentials are kept (default .wharf)
  --etcd URL,...     store objects in this etcd cluster instead of the data dir
  --host H           address to listen on and to put in the kubeconfig (default 127.0.0.1)
  --kubeconfig PATH  where to write the kubeconfig (default kubeconfig/wharf.kubeconfig)
  --token VALUE      admin bearer token to accept (default: a random one kept in the data dir)
  --scheduler-config PATH
                     a KubeSchedulerConfiguration file: profiles, plugins, score weights, pluginConfig
  --node-monitor-grace-period D
                     how long a silent node stays Ready before it is Unknown (default 40s)
  --horizontal-pod-autoscaler-sync-period D
                     how often each HorizontalPodAutoscaler is evaluated (default 15s)
  -h, --help         show this help
`;

export const mainUsage = `Usage: wharf <command> [flags]

Commands:
  up      start a cluster (see wharf up --help)

Flags:
  -h, --help   show this help
`;

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`invalid value "${value}" for --${flag}: must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** A Go-style duration of whole units (`500ms`, `5s`, `2m`, `1m30s`) in ms. */
function duration(flag: string, value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw new UsageError(`invalid value "${value}" for --${flag}: must be a duration such as 5s or 1m30s`);
  }
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (units[unit ?? ''] ?? 0), 0);
  if (ms <= 0) throw new UsageError(`invalid value "${value}" for --${flag}: must be positive`);
  return ms;
}

export function parseUpOptions(args: readonly string[]): UpOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const etcd = (values.etcd ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  for (const url of etcd) {
    if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`invalid etcd URL "${url}": expected http://host:port`);
  }
  const options: UpOptions = {
    port: integer('port', values.port ?? '6443', 0, 65535),
    nodes: integer('nodes', values.nodes ?? '3', 0, 100_000),
    dataDir: values['data-dir'] ?? '.wharf',
    etcd,
    host: values.host ?? '127.0.0.1',
    kubeconfig: values.kubeconfig ?? 'kubeconfig/wharf.kubeconfig',
    help: values.help ?? false,
  };
  if (values.token !== undefined) {
    if (values.token === '') throw new UsageError('--token must not be empty');
    options.token = values.token;
  }
  const schedulerConfig = values['scheduler-config'];
  if (schedulerConfig !== undefined) {
    if (schedulerConfig === '') throw new UsageError('--scheduler-config must not be empty');
    options.schedulerConfig = schedulerConfig;
  }
  const grace = values['node-monitor-grace-period'];
  if (grace !== undefined) options.nodeMonitorGracePeriodMs = duration('node-monitor-grace-period', grace);
  const hpaSync = values['horizontal-pod-autoscaler-sync-period'];
  if (hpaSync !== undefined) options.hpaSyncPeriodMs = duration('horizontal-pod-autoscaler-sync-period', hpaSync);
  return options;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      nodes: { type: 'string' },
      'data-dir': { type: 'string' },
      etcd: { type: 'string' },
      host: { type: 'string' },
      kubeconfig: { type: 'string' },
      token: { type: 'string' },
      'scheduler-config': { type: 'string' },
      'node-monitor-grace-period': { type: 'string' },
      'horizontal-pod-autoscaler-sync-period': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
