/**
 * Flags of `wharf nodes`: simulated kubelets as their own process, joining any API server through a
 * kubeconfig, as KWOK's controller does. Errors are `UsageError`s, printed with the usage text.
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { UsageError } from './up-options.ts';

export interface NodesOptions {
  kubeconfig: string;
  context?: string;
  count: number;
  /** Nodes are named `<prefix>-1` … `<prefix>-<count>`. */
  namePrefix: string;
  /** The nodes' InternalIP; their kubelet endpoint (logs) listens there. */
  nodeIP: string;
  /** The kubelet endpoint's port; 0 picks a free one. */
  kubeletPort: number;
  help: boolean;
}

export const nodesUsage = `Usage: wharf nodes --kubeconfig PATH [flags]

Run simulated worker nodes against any Kubernetes API server: they register, keep their Leases
fresh and run the pods bound to them. Ctrl-C stops them (the Node objects stay, as when a kubelet
stops; they go NotReady after the grace period).

Flags:
  --kubeconfig PATH   the cluster to join (default: $KUBECONFIG)
  --context NAME      the kubeconfig context to use (default: its current context)
  --count N           how many nodes (default 3)
  --name-prefix P     node names are P-1 … P-N (default node)
  --node-ip IP        the nodes' InternalIP, where the API server reaches their kubelet
                      endpoint for kubectl logs (default 127.0.0.1)
  --kubelet-port N    the kubelet endpoint's port (default 0: a free port)
  -h, --help          show this help
`;

/** A DNS-1123 label, leaving room for the `-<index>` suffix. */
const prefixPattern = /^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/;

export function parseNodesOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): NodesOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const help = values.help ?? false;
  const kubeconfig = values.kubeconfig ?? env.KUBECONFIG?.split(':')[0] ?? '';
  if (!kubeconfig && !help) throw new UsageError('--kubeconfig is required (or set KUBECONFIG)');
  const countText = values.count ?? '3';
  const count = Number(countText);
  if (!/^\d+$/.test(countText) || count < 1 || count > 100_000) {
    throw new UsageError(`invalid value "${countText}" for --count: must be an integer from 1 to 100000`);
  }
  const namePrefix = values['name-prefix'] ?? 'node';
  if (!prefixPattern.test(namePrefix)) {
    throw new UsageError(`invalid value "${namePrefix}" for --name-prefix: must be a lower-case DNS label`);
  }
  const nodeIP = values['node-ip'] ?? '127.0.0.1';
  if (!isIP(nodeIP)) throw new UsageError(`invalid value "${nodeIP}" for --node-ip: must be an IP address`);
  const portText = values['kubelet-port'] ?? '0';
  const kubeletPort = Number(portText);
  if (!/^\d+$/.test(portText) || kubeletPort > 65_535) {
    throw new UsageError(`invalid value "${portText}" for --kubelet-port: must be an integer from 0 to 65535`);
  }
  const options: NodesOptions = { kubeconfig, count, namePrefix, nodeIP, kubeletPort, help };
  if (values.context) options.context = values.context;
  return options;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      count: { type: 'string' },
      'name-prefix': { type: 'string' },
      'node-ip': { type: 'string' },
      'kubelet-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
