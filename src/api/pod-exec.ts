/**
 * `pods/exec` and `pods/attach` over WebSocket, the channel protocol kubectl (1.30 and later) tries
 * first (sessions in exec-session.ts). Commands run in the simulated container
 * (src/nodes/container-sim/exec-command.ts); output is streamed as it is made.
 * SPDY, which older kubectl speaks, is not implemented: such requests get a BadRequest saying so.
 */
import type { WebSocket } from 'ws';
import type { Container, Pod } from '../nodes/api-types.ts';
import {
  commandEffects,
  execContext,
  isInteractiveShell,
  referencedObjects,
} from '../nodes/container-sim/exec-command.ts';
import type { PodLogs } from '../nodes/logs.ts';
import type { Registry, ResourceTable } from '../registry/types.ts';
import { badRequest, isStatusError } from '../status.ts';
import type { KubeObject, UserInfo } from '../types/meta.ts';
import { followOutput, runCommand, runShell } from './exec-session.ts';
import { logContainer } from './pod-log.ts';
import { isTrue } from './query.ts';
import type { ResolvedRequest } from './resolve-request.ts';

/** The WebSocket subprotocols served, best first (v5 adds a close message kubectl does not need from us). */
export const channelProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

/** Set by the server for a request that arrived as an HTTP upgrade. */
export interface UpgradeBinding {
  /** Completes the WebSocket handshake; afterwards the connection belongs to the caller. */
  accept(): Promise<WebSocket>;
}

export interface PodExecRequest {
  registry: Registry;
  resources: ResourceTable;
  target: ResolvedRequest;
  request: Request;
  query: URLSearchParams;
  user: UserInfo;
  upgrade: UpgradeBinding | undefined;
  now: () => number;
}

export async function servePodExec(r: PodExecRequest): Promise<Response> {
  const command = r.query.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  const { pod, container, upgrade } = await checkStreamRequest(r, 'exec');
  const shell = await containerContext(r, pod, container);
  const socket = await upgrade.accept();
  if (isInteractiveShell(command) && isTrue(r.query.get('stdin'))) {
    void runShell(socket, shell, { tty: isTrue(r.query.get('tty')), command });
  } else {
    void runCommand(socket, commandEffects(command, shell), command);
  }
  // Never written: the connection was handed over in accept().
  return new Response(null, { status: 204 });
}

/**
 * `kubectl attach` and `kubectl run -it`: a container started with stdin whose program is a shell gets
 * an interactive shell session; any other container's output is followed from now until it exits.
 */
export async function servePodAttach(r: PodExecRequest & { podLogs: PodLogs | undefined }): Promise<Response> {
  const { pod, container, upgrade } = await checkStreamRequest(r, 'attach');
  const program = [...(container.command ?? []), ...(container.args ?? [])];
  const opensStdin = (container as Container & { stdin?: boolean }).stdin === true;
  if (opensStdin && isTrue(r.query.get('stdin')) && (program.length === 0 || isInteractiveShell(program))) {
    const shell = await containerContext(r, pod, container);
    const socket = await upgrade.accept();
    void runShell(socket, shell, {
      tty: isTrue(r.query.get('tty')),
      command: program.length ? program : ['sh'],
      // The container's own shell exited, so the container does too (kubectl run -i waits for that).
      onExit: (code) =>
        r.podLogs?.endAttachedShell?.(
          pod.metadata.namespace ?? 'default',
          pod.metadata.name ?? '',
          container.name,
          code,
        ),
    });
    return new Response(null, { status: 204 });
  }
  if (!r.podLogs) throw badRequest('attach needs the simulated nodes to run in this process');
  const abort = new AbortController();
  const output = await r.podLogs.getLogs(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '', container.name, {
    follow: true,
    tailLines: 0,
    signal: abort.signal,
  });
  const socket = await upgrade.accept();
  void followOutput(socket, output, abort);
  return new Response(null, { status: 204 });
}

/** What exec and attach check before the upgrade, each a Status the client prints. */
async function checkStreamRequest(r: PodExecRequest, verb: 'exec' | 'attach') {
  const name = r.target.name ?? '';
  const pod = (await r.registry.get(r.target.def, r.target.namespace, name, {}, { user: r.user })) as unknown as Pod;
  const container = chooseContainer(pod, r.query.get('container'), verb);
  const offered = (r.request.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
  if (!r.upgrade || !channelProtocols.some((p) => offered.includes(p))) {
    throw badRequest(
      `pods/${verb} is served over WebSocket (v4 or v5.channel.k8s.io, kubectl 1.30 or newer); wharf does not implement SPDY`,
    );
  }
  return { pod, container, upgrade: r.upgrade };
}

async function containerContext(r: PodExecRequest, pod: Pod, container: Container) {
  const lookup = await fetchReferenced(r, pod, container);
  const shell = execContext(pod, container, lookup, {
    network: { ...(pod.status?.podIP ? { podIP: pod.status.podIP } : {}), ...hostIP(pod) },
    now: r.now,
  });
  if (!shell.ok) throw badRequest(shell.message);
  return shell.value;
}

function hostIP(pod: Pod): { hostIP?: string } {
  return pod.status?.hostIP ? { hostIP: pod.status.hostIP } : {};
}

/** The container asked for, as the API server and kubelet check it before any upgrade. */
function chooseContainer(pod: Pod, asked: string | null, verb: 'exec' | 'attach'): Container {
  const name = pod.metadata.name ?? '';
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw badRequest(
      verb === 'exec'
        ? `cannot exec into a container in a completed pod; current phase is ${phase}`
        : `cannot attach to a container in a completed pod; current phase is ${phase}`,
    );
  }
  // The same choice (and messages) as pods/log: the one asked, or the only app container.
  const chosen = logContainer(pod, name, asked ?? undefined);
  const container = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === chosen);
  if (!container) throw badRequest(`container ${chosen} is not valid for pod ${name}`);
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
    (s) => s.name === chosen,
  );
  if (!status?.state?.running) throw badRequest(`container not found ("${chosen}")`);
  return container;
}

/** The ConfigMaps and Secrets the container's environment and the pod's volumes use, read once. */
async function fetchReferenced(r: PodExecRequest, pod: Pod, container: Container) {
  const namespace = pod.metadata.namespace ?? 'default';
  const { configMaps, secrets } = referencedObjects(pod, container);
  const read = async (plural: string, names: Set<string>) => {
    const def = r.resources.lookup('', 'v1', plural);
    const found = new Map<string, KubeObject>();
    if (!def) return found;
    for (const name of names) {
      try {
        found.set(name, (await r.registry.get(def, namespace, name, {}, { user: r.user })) as KubeObject);
      } catch (err) {
        if (!(isStatusError(err) && err.code === 404)) throw err;
      }
    }
    return found;
  };
  const [configMapObjects, secretObjects] = await Promise.all([
    read('configmaps', configMaps),
    read('secrets', secrets),
  ]);
  return {
    configMap: (_: string, name: string) => configMapObjects.get(name) as never,
    secret: (_: string, name: string) => secretObjects.get(name) as never,
  };
}
