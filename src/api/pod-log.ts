/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: the API server's half of pods/log. As kube-apiserver
 * does (pkg/registry/core/pod/rest/log.go and strategy.go LogLocation), it validates PodLogOptions,
 * reads the pod, picks and checks the container, and answers an empty body for a pod that has no
 * node yet; then it streams what the pod's kubelet (here: the simulated nodes' `PodLogs`) sends.
 */
import type { LogOptions, PodLogs } from '../nodes/logs.ts';
import type { KeyPairPem } from '../pki/load-or-create-pki.ts';
import type { Registry } from '../registry/types.ts';
import { badRequest, type FieldError, invalid, serviceUnavailable } from '../status.ts';
import type { UserInfo } from '../types/meta.ts';
import { type KubeletNode, kubeletGet } from './kubelet-client.ts';
import { integerParam, isTrue } from './query.ts';
import type { ResolvedRequest } from './resolve-request.ts';

export interface PodLogRequest {
  registry: Registry;
  /** Filled once the simulated nodes run in this process; read per request. */
  podLogs: { current?: PodLogs } | undefined;
  /** Credentials for kubelets of other processes; without them only in-process nodes have logs. */
  kubeletClient?: KeyPairPem | undefined;
  target: ResolvedRequest;
  query: URLSearchParams;
  user: UserInfo;
  onDisconnect?: ((listener: () => void) => void) | undefined;
}

interface PodShape {
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[] };
}

const logStreams = ['All', 'Stdout', 'Stderr'];
/** The PodLogOptions a kubelet's /containerLogs reads from its query. */
const kubeletLogParams = new Set([
  'follow',
  'previous',
  'timestamps',
  'tailLines',
  'sinceSeconds',
  'sinceTime',
  'limitBytes',
]);
const textHeaders = { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' };

/** Query parameters → LogOptions, rejected as ValidatePodLogOptions rejects them (422 PodLogOptions). */
export function toLogOptions(name: string, query: URLSearchParams): LogOptions & { stream?: string } {
  const options: LogOptions & { stream?: string } = {
    follow: isTrue(query.get('follow')),
    previous: isTrue(query.get('previous')),
    timestamps: isTrue(query.get('timestamps')),
  };
  const tailLines = integerParam(query, 'tailLines');
  const sinceSeconds = integerParam(query, 'sinceSeconds');
  const limitBytes = integerParam(query, 'limitBytes');
  const sinceTime = query.get('sinceTime');
  const stream = query.get('stream');
  if (sinceTime !== null && Number.isNaN(Date.parse(sinceTime))) {
    throw badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}"`);
  }
  const errors: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'tailLines',
      value: tailLines,
      detail: 'must be greater than or equal to 0',
    });
  if (limitBytes !== undefined && limitBytes < 1)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'limitBytes',
      value: limitBytes,
      detail: 'must be greater than 0',
    });
  if (sinceSeconds !== undefined && sinceTime !== null)
    errors.push({
      type: 'FieldValueForbidden',
      field: '',
      detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  else if (sinceSeconds !== undefined && sinceSeconds < 1)
    errors.push({
      type: 'FieldValueInvalid',
      field: 'sinceSeconds',
      value: sinceSeconds,
      detail: 'must be greater than 0',
    });
  if (stream !== null && !logStreams.includes(stream))
    errors.push({ type: 'FieldValueNotSupported', field: 'stream', value: stream, supported: logStreams });
  if (errors.length > 0) throw invalid({ group: '', kind: 'PodLogOptions' }, name, errors);
  if (tailLines !== undefined) options.tailLines = tailLines;
  if (sinceSeconds !== undefined) options.sinceSeconds = sinceSeconds;
  if (limitBytes !== undefined) options.limitBytes = limitBytes;
  if (sinceTime !== null) options.sinceTime = sinceTime;
  if (stream !== null) options.stream = stream;
  return options;
}

/** The container the log is for: the one asked, or the only app container; apiserver's messages. */
export function logContainer(pod: PodShape, name: string, asked: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const initNames = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (!asked) {
    if (names.length === 1) return names[0] as string;
    if (names.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    let message = `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`;
    if (initNames.length > 0) message += ` or one of the init containers: [${initNames.join(' ')}]`;
    throw badRequest(message);
  }
  if (!names.includes(asked) && !initNames.includes(asked))
    throw badRequest(`container ${asked} is not valid for pod ${name}`);
  return asked;
}

export async function servePodLog(r: PodLogRequest): Promise<Response> {
  const { namespace, name = '' } = r.target;
  const options = toLogOptions(name, r.query);
  const pod = (await r.registry.get(r.target.def, namespace, name, {}, { user: r.user })) as PodShape;
  const container = logContainer(pod, name, r.query.get('container') || undefined);
  // A pod without a node has no kubelet to ask: apiserver answers with an empty log.
  if (!pod.spec?.nodeName) return new Response('', { status: 200, headers: textHeaders });
  const nodeName = pod.spec.nodeName;
  const abort = new AbortController();
  r.onDisconnect?.(() => abort.abort());
  const { stream, ...logOptions } = options;
  const logs = r.podLogs?.current;
  let body: ReadableStream<Uint8Array>;
  if (logs && (logs.servesNode?.(nodeName) ?? true)) {
    body = await logs.getLogs(namespace ?? '', name, container, { ...logOptions, signal: abort.signal });
  } else {
    // The pod's kubelet runs in another process (`wharf nodes`): ask it over HTTPS, as kube-apiserver does.
    if (!r.kubeletClient) throw serviceUnavailable(`no kubelet reachable for node "${nodeName}" to read logs from`);
    const nodesDef = r.registry.resources.lookup('', 'v1', 'nodes');
    if (!nodesDef) throw serviceUnavailable('nodes are not served');
    const node = (await r.registry.get(nodesDef, undefined, nodeName, {}, { user: r.user })) as KubeletNode;
    const path = ['containerLogs', namespace ?? '', name, container].map(encodeURIComponent).join('/');
    const kubeletQuery = new URLSearchParams([...r.query].filter(([key]) => kubeletLogParams.has(key)));
    body = await kubeletGet(node, `/${path}?${kubeletQuery}`, r.kubeletClient, abort.signal);
  }
  // The simulated containers write only stdout.
  if (stream === 'Stderr') {
    await body.cancel();
    return new Response('', { status: 200, headers: textHeaders });
  }
  return new Response(body, { status: 200, headers: textHeaders });
}
