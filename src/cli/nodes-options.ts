/**
 * Flags of `wharf nodes`: simulated kubelets as their own process, joining any API server through a
 * kubeconfig, as KWOK's controller does. Errors are `UsageError`s, printed with the usage text.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './up-options.ts';

export interface NodesOptions {
  kubeconfig: string;
  context?: string;
  count: number;
  /** Nodes are named `<prefix>-1` … `<prefix>-<count>`. */
  namePrefix: string;
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
  const options: NodesOptions = { kubeconfig, count, namePrefix, help };
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
      help: { type: 'boolean', short: 'h' },
    },
  });
}
