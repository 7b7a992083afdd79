/**
 * Re-records the protobuf fixtures (run by the round-trip test with UPDATE_FIXTURES=1): a plain-HTTP
 * recorder that stores every protobuf request body and answers just enough (legacy discovery, 201 echoes
 * of the decoded object) for kubectl 1.32, kubectl 1.35 and helm 4 to send their bodies; and, for each
 * kubectl command, the JSON the same command prints with `-o json --dry-run=client`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helm, kubectl } from '../../../../test/support/kubectl.ts';
import type { KubectlVersion } from '../../../../test/support/tools.ts';
import { writeTlsPair } from '../../../pki/testing/tls-pair.ts';
import { decodeKubernetesProtobuf, isProtobufContentType } from '../decode-kubernetes-protobuf.ts';

export interface FixtureEntry {
  /** File stem: `<name>.pb` is the body, `<name>.json` (when `hasJson`) what kubectl prints for it. */
  name: string;
  tool: string;
  method: string;
  path: string;
  hasJson: boolean;
}

interface Recorded {
  method: string;
  path: string;
  body: Buffer;
}

/** kubectl commands that send a protobuf body; the ones marked `json` can also print it with --dry-run. */
const kubectlCommands: { name: string; args: string[]; json: boolean }[] = [
  {
    name: 'create-deployment',
    args: [
      'create',
      'deployment',
      'web',
      '--image=nginx:1',
      '--image=redis:7',
      '--image=busybox',
      '--replicas=0',
      '--port=8080',
    ],
    json: true,
  },
  {
    name: 'create-configmap',
    args: ['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=empty='],
    json: true,
  },
  {
    name: 'create-secret',
    args: ['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cr3t', '--type=Opaque'],
    json: true,
  },
  {
    name: 'create-secret-docker-registry',
    args: [
      'create',
      'secret',
      'docker-registry',
      'pull',
      '--docker-server=registry.example.com',
      '--docker-username=u',
      '--docker-password=p',
      '--docker-email=u@example.com',
    ],
    json: true,
  },
  {
    name: 'create-secret-tls',
    args: ['create', 'secret', 'tls', 'site-tls', '--cert=$work/tls.crt', '--key=$work/tls.key'],
    json: true,
  },
  { name: 'create-namespace', args: ['create', 'namespace', 'team-a'], json: true },
  {
    name: 'create-service',
    args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https'],
    json: true,
  },
  {
    name: 'create-service-externalname',
    args: ['create', 'service', 'externalname', 'upstream', '--external-name=api.example.com'],
    json: true,
  },
  {
    name: 'create-service-loadbalancer',
    args: ['create', 'service', 'loadbalancer', 'public', '--tcp=443:8443'],
    json: true,
  },
  {
    name: 'create-service-nodeport',
    args: ['create', 'service', 'nodeport', 'node', '--tcp=80:http', '--node-port=30080'],
    json: true,
  },
  { name: 'create-job', args: ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'], json: true },
  {
    name: 'create-cronjob',
    args: ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'],
    json: true,
  },
  // After create-cronjob: the recorder answers the GET of the cronjob it stored.
  { name: 'create-job-from-cronjob', args: ['create', 'job', 'tick-now', '--from=cronjob/tick'], json: true },
  {
    name: 'create-role',
    args: ['create', 'role', 'reader', '--verb=get,list', '--resource=pods', '--resource-name=a'],
    json: true,
  },
  {
    name: 'create-rolebinding',
    args: ['create', 'rolebinding', 'rb', '--role=reader', '--user=jane', '--serviceaccount=default:robot'],
    json: true,
  },
  {
    name: 'create-clusterrole',
    args: ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'],
    json: true,
  },
  {
    name: 'create-clusterrolebinding',
    args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=devs'],
    json: true,
  },
  { name: 'create-serviceaccount', args: ['create', 'serviceaccount', 'robot'], json: true },
  {
    name: 'create-quota',
    args: ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=0', '--scopes=BestEffort'],
    json: true,
  },
  {
    name: 'create-pdb',
    args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=0'],
    json: true,
  },
  {
    name: 'create-priorityclass',
    args: ['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'],
    json: true,
  },
  {
    name: 'create-ingress',
    args: ['create', 'ingress', 'ing', '--rule=example.com/path*=svc:80,tls=cert', '--class=nginx'],
    json: true,
  },
  { name: 'auth-can-i', args: ['auth', 'can-i', 'create', 'pods', '--subresource=log'], json: false },
  { name: 'auth-can-i-list', args: ['auth', 'can-i', '--list'], json: false },
  { name: 'auth-whoami', args: ['auth', 'whoami'], json: false },
  { name: 'create-token', args: ['create', 'token', 'robot', '--duration=10m', '--audience=api'], json: false },
];

const podsResource = {
  name: 'pods',
  singularName: 'pod',
  namespaced: true,
  kind: 'Pod',
  verbs: ['create', 'get', 'list'],
};
const discovery: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  // batch is discovered so that `create job --from=cronjob/tick` can map `cronjob`.
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      {
        name: 'batch',
        versions: [{ groupVersion: 'batch/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'batch/v1', version: 'v1' },
      },
    ],
  },
  '/apis/batch/v1': {
    kind: 'APIResourceList',
    groupVersion: 'batch/v1',
    resources: [
      { name: 'cronjobs', singularName: 'cronjob', namespaced: true, kind: 'CronJob', verbs: ['create', 'get'] },
      { name: 'jobs', singularName: 'job', namespaced: true, kind: 'Job', verbs: ['create', 'get'] },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      podsResource,
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      {
        name: 'configmaps',
        singularName: 'configmap',
        namespaced: true,
        kind: 'ConfigMap',
        verbs: ['create', 'get', 'list'],
      },
      { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs: ['create', 'get', 'list'] },
      {
        name: 'serviceaccounts',
        singularName: 'serviceaccount',
        namespaced: true,
        kind: 'ServiceAccount',
        verbs: ['create', 'get'],
      },
    ],
  },
  // helm validates server-side when OpenAPI v3 says PATCH of the kind takes `fieldValidation`.
  '/openapi/v3': { paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=0' } } },
  '/openapi/v3/api/v1': {
    openapi: '3.0.0',
    info: { title: 'recorder', version: 'v1' },
    paths: {
      '/api/v1/namespaces/{namespace}/configmaps/{name}': {
        patch: {
          'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'ConfigMap' },
          parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }],
        },
      },
    },
    components: { schemas: {} },
  },
  '/version': { major: '1', minor: '35', gitVersion: 'v1.35.0', platform: 'linux/amd64' },
};

/** What the server would fill in: enough for each command to print its usual line and exit 0. */
function responseFor(object: Record<string, unknown>): Record<string, unknown> {
  const kind = object.kind;
  if (kind === 'SelfSubjectAccessReview') return { ...object, status: { allowed: true } };
  if (kind === 'SelfSubjectRulesReview')
    return { ...object, status: { resourceRules: [], nonResourceRules: [], incomplete: false } };
  if (kind === 'SelfSubjectReview') return { ...object, status: { userInfo: { username: 'admin', groups: [] } } };
  if (kind === 'TokenRequest')
    return { ...object, status: { token: 'token', expirationTimestamp: '2030-01-01T00:00:00Z' } };
  return object;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

type Reply = [code: number, body: unknown];
const reply = (code: number, body: unknown): Reply => [code, body];

/** Objects written so far, by collection path then name, so helm finds its release on uninstall. */
type Stored = Map<string, Map<string, Record<string, unknown>>>;

function nameOf(object: Record<string, unknown>): string {
  const metadata = object.metadata as { name?: string } | undefined;
  return metadata?.name ?? '';
}

function splitPath(path: string): { collection: string; name: string } {
  const i = path.lastIndexOf('/');
  return { collection: path.slice(0, i), name: path.slice(i + 1) };
}

function handle(req: IncomingMessage, body: Buffer, recorded: Recorded[], stored: Stored): Reply {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  const collectionOf = (p: string) => stored.get(p) ?? stored.set(p, new Map()).get(p)!;
  if (isProtobufContentType(req.headers['content-type'])) {
    recorded.push({ method, path, body });
    const object = decodeKubernetesProtobuf(body).object as Record<string, unknown>;
    if (method === 'DELETE') {
      const { collection, name } = splitPath(path);
      collectionOf(collection).delete(name);
      return reply(200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    }
    const collection = method === 'POST' ? path : splitPath(path).collection;
    collectionOf(collection).set(nameOf(object), object);
    return reply(method === 'POST' ? 201 : 200, responseFor(object));
  }
  // helm applies its manifest with server-side apply (a JSON text body): answer with the object applied.
  if (method === 'PATCH') return reply(201, JSON.parse(body.toString('utf8')));
  if (method === 'GET' && discovery[path]) return reply(200, discovery[path]);
  if (method === 'GET' && stored.has(path)) {
    const items = [...collectionOf(path).values()];
    const kind = `${String(items[0]?.kind ?? '')}List`;
    return reply(200, { kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
  }
  const { collection, name } = splitPath(path);
  const found = stored.get(collection)?.get(name);
  if (method === 'GET' && found) return reply(200, found);
  if (method === 'GET' && path.endsWith('/secrets'))
    return reply(200, { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] });
  if (method === 'DELETE' && found) {
    stored.get(collection)?.delete(name);
    return reply(200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
  }
  return reply(404, {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'NotFound',
    code: 404,
    message: 'not found',
  });
}

async function startRecorder(): Promise<{ url: string; recorded: Recorded[]; close: () => Promise<void> }> {
  const recorded: Recorded[] = [];
  const stored: Stored = new Map();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const [code, answer] = handle(req, Buffer.concat(chunks), recorded, stored);
        send(res, code, answer);
      } catch (err) {
        send(res, 400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 400, message: String(err) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    recorded,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function kubeconfigFor(url: string): string {
  return `apiVersion: v1
kind: Config
clusters: [{name: rec, cluster: {server: "${url}"}}]
users: [{name: rec, user: {token: recorder-token}}]
contexts: [{name: rec, context: {cluster: rec, user: rec, namespace: default}}]
current-context: rec
`;
}

const chart = {
  'Chart.yaml': 'apiVersion: v2\nname: tiny\nversion: 0.1.0\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tiny-cfg\ndata:\n  a: "1"\n',
};

/** Records every fixture into `dir` and returns the manifest entries. */
export async function captureFixtures(dir: string): Promise<FixtureEntry[]> {
  const work = mkdtempSync(join(tmpdir(), 'wharf-proto-capture-'));
  const recorder = await startRecorder();
  const entries: FixtureEntry[] = [];
  const save = (name: string, tool: string, r: Recorded, json?: string): void => {
    writeFileSync(join(dir, `${name}.pb`), r.body);
    if (json !== undefined) writeFileSync(join(dir, `${name}.json`), json);
    entries.push({ name, tool, method: r.method, path: r.path, hasJson: json !== undefined });
  };
  try {
    const kubeconfig = join(work, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor(recorder.url));
    writeTlsPair(work, 'site.example.com');
    for (const version of ['1.32', '1.35'] as KubectlVersion[]) {
      for (const listed of kubectlCommands) {
        const command = { ...listed, args: listed.args.map((a) => a.replace('$work', work)) };
        const before = recorder.recorded.length;
        const result = await kubectl(version, command.args, { kubeconfig });
        const sent = recorder.recorded.slice(before);
        const first = sent[0];
        if (!first)
          throw new Error(`kubectl ${version} ${command.args.join(' ')} sent no protobuf body: ${result.stderr}`);
        let json: string | undefined;
        if (command.json) {
          // Flags go before a `--`, after which everything is the container's command.
          const dash = command.args.indexOf('--');
          const at = dash < 0 ? command.args.length : dash;
          const args = [...command.args.slice(0, at), '-o', 'json', '--dry-run=client', ...command.args.slice(at)];
          const printed = await kubectl(version, args, { kubeconfig });
          if (printed.code !== 0) throw new Error(`dry-run of ${command.name} failed: ${printed.stderr}`);
          json = printed.stdout;
        }
        save(`kubectl-${version}-${command.name}`, `kubectl ${version}`, first, json);
      }
    }
    for (const [file, text] of Object.entries(chart)) {
      mkdirSync(join(work, 'chart', 'templates'), { recursive: true });
      writeFileSync(join(work, 'chart', file), text);
    }
    const before = recorder.recorded.length;
    const install = await helm(['install', 'tiny', join(work, 'chart'), '--skip-schema-validation'], { kubeconfig });
    const uninstall = await helm(['uninstall', 'tiny'], { kubeconfig });
    const sent = recorder.recorded.slice(before);
    if (sent.length === 0) throw new Error(`helm sent no protobuf body: ${install.stderr} ${uninstall.stderr}`);
    sent.forEach((r, i) => {
      save(`helm-4-${i + 1}-${r.method.toLowerCase()}`, 'helm 4', r);
    });
  } finally {
    await recorder.close();
    rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(join(dir, 'fixtures.json'), `${JSON.stringify(entries, null, 2)}\n`);
  return entries;
}
