/**
 * Every `kubectl create <kind>` subcommand, `create token`, `auth whoami` and `auth can-i` of kubectl
 * 1.32 and 1.35, which send their bodies as protobuf only (no JSON fallback). Each command runs with -v=8:
 * its log shows each request's Content-Type and a hex dump of the body, so the test proves the write went
 * as application/vnd.kubernetes.protobuf starting with the k8s\0 envelope. Then `get -o json` spot-checks
 * the stored object against what a real cluster stores for the same command (defaults included).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTlsPair } from '../../src/pki/testing/tls-pair.ts';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';
import { discoveryTrouble } from './versions.ts';

let wharf: Wharf;
let files: string;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 0 });
  files = mkdtempSync(join(tmpdir(), 'wharf-create-'));
  writeTlsPair(files, 'web.example.com');
  writeFileSync(join(files, 'app.properties'), 'color=blue\n');
});
afterAll(async () => {
  rmSync(files, { recursive: true, force: true });
  expect(await wharf?.stop()).toBe(0);
});

interface LoggedRequest {
  method: string;
  url: string;
  contentType?: string;
}

/**
 * The requests in a -v=8 log. kubectl ≤ 1.33 logs `POST <url>` then one `Content-Type: …` line per
 * header; 1.34+ logs `"Request" verb="POST" url="…" headers=<` then the headers, tab-indented, up to ` >`.
 */
function requestsIn(log: string): LoggedRequest[] {
  const requests: LoggedRequest[] = [];
  let current: LoggedRequest | undefined;
  for (const line of log.split('\n')) {
    const old = /round_trippers\.go:\d+\] (GET|POST|PUT|PATCH|DELETE) (\S+)/.exec(line);
    const structured = /"Request" verb="(\w+)" url="([^"]+)"/.exec(line);
    const start = old ?? structured;
    if (start?.[1] && start[2]) {
      current = { method: start[1], url: start[2] };
      requests.push(current);
      continue;
    }
    const header = /^(?:I\d+ [\d:.]+\s+\d+ round_trippers\.go:\d+\]\s+|\t)Content-Type: (\S+)/.exec(line);
    if (header?.[1] && current && current.contentType === undefined) current.contentType = header[1];
    if (/Response Status|"Response"/.test(line)) current = undefined;
  }
  return requests;
}

type Json = Record<string, unknown>;

interface CreateCase {
  /** Arguments after `kubectl -n <ns>`; `$files` is the directory of the TLS pair and the file for --from-file. */
  args: string[];
  /** The path the protobuf body is POSTed to (namespace `NS`). */
  post: string;
  /** What the command prints on success. */
  printed: RegExp;
  /** `kubectl get <get> -o json` must contain this (what a real cluster stores for the command). */
  get?: string;
  stored?: Json;
}

const rbac = 'rbac.authorization.k8s.io';
const pullPolicyOfTag = { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' };
const podDefaults = {
  dnsPolicy: 'ClusterFirst',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

const cases: Record<string, CreateCase> = {
  clusterrole: {
    args: ['create', 'clusterrole', 'NS-reader', '--verb=get,list', '--resource=pods'],
    post: `/apis/${rbac}/v1/clusterroles`,
    printed: /^clusterrole\.rbac\.authorization\.k8s\.io\/NS-reader created$/,
    get: 'clusterrole/NS-reader',
    stored: {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    },
  },
  clusterrolebinding: {
    args: ['create', 'clusterrolebinding', 'NS-readers', '--clusterrole=NS-reader', '--user=jane', '--group=devs'],
    post: `/apis/${rbac}/v1/clusterrolebindings`,
    printed: /^clusterrolebinding\.rbac\.authorization\.k8s\.io\/NS-readers created$/,
    get: 'clusterrolebinding/NS-readers',
    stored: {
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'NS-reader' },
      subjects: [
        { apiGroup: rbac, kind: 'User', name: 'jane' },
        { apiGroup: rbac, kind: 'Group', name: 'devs' },
      ],
    },
  },
  configmap: {
    args: ['create', 'configmap', 'settings', '--from-literal=a=1', '--from-file=$files/app.properties'],
    post: '/api/v1/namespaces/NS/configmaps',
    printed: /^configmap\/settings created$/,
    get: 'configmap/settings',
    stored: { data: { a: '1', 'app.properties': 'color=blue\n' } },
  },
  cronjob: {
    args: ['create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'date'],
    post: '/apis/batch/v1/namespaces/NS/cronjobs',
    printed: /^cronjob\.batch\/tick created$/,
    get: 'cronjob/tick',
    stored: {
      spec: {
        schedule: '*/5 * * * *',
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: { name: 'tick' },
          spec: {
            template: {
              spec: {
                containers: [{ name: 'tick', image: 'busybox:1.36', command: ['date'], ...pullPolicyOfTag }],
                restartPolicy: 'OnFailure',
                ...podDefaults,
              },
            },
          },
        },
      },
    },
  },
  deployment: {
    args: ['create', 'deployment', 'web', '--image=nginx:1.27', '--image=redis', '--replicas=2', '--port=80'],
    post: '/apis/apps/v1/namespaces/NS/deployments',
    printed: /^deployment\.apps\/web created$/,
    get: 'deployment/web',
    stored: {
      metadata: { labels: { app: 'web' }, generation: 1 },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        progressDeadlineSeconds: 600,
        revisionHistoryLimit: 10,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.27',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                ...pullPolicyOfTag,
              },
              { name: 'redis', image: 'redis', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' },
            ],
            restartPolicy: 'Always',
            ...podDefaults,
          },
        },
      },
    },
  },
  ingress: {
    args: ['create', 'ingress', 'site', '--class=nginx', '--rule=web.example.com/api*=web:80,tls=site-tls'],
    post: '/apis/networking.k8s.io/v1/namespaces/NS/ingresses',
    printed: /^ingress\.networking\.k8s\.io\/site created$/,
    get: 'ingress/site',
    stored: {
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                { path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              ],
            },
          },
        ],
        tls: [{ hosts: ['web.example.com'], secretName: 'site-tls' }],
      },
    },
  },
  job: {
    args: ['create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'],
    post: '/apis/batch/v1/namespaces/NS/jobs',
    printed: /^job\.batch\/once created$/,
    get: 'job/once',
    stored: {
      // A Job without labels of its own shows its template's, generated ones included.
      metadata: { labels: { 'batch.kubernetes.io/job-name': 'once', 'job-name': 'once' } },
      spec: {
        backoffLimit: 6,
        completions: 1,
        parallelism: 1,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        template: {
          metadata: { labels: { 'batch.kubernetes.io/job-name': 'once', 'job-name': 'once' } },
          spec: {
            containers: [{ name: 'once', image: 'busybox:1.36', command: ['echo', 'hi'], ...pullPolicyOfTag }],
            restartPolicy: 'Never',
            ...podDefaults,
          },
        },
      },
    },
  },
  'job --from=cronjob': {
    args: ['create', 'job', 'tick-now', '--from=cronjob/tick'],
    post: '/apis/batch/v1/namespaces/NS/jobs',
    printed: /^job\.batch\/tick-now created$/,
    get: 'job/tick-now',
    stored: {
      metadata: {
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', controller: true }],
      },
      spec: { backoffLimit: 6, template: { spec: { containers: [{ name: 'tick', command: ['date'] }] } } },
    },
  },
  namespace: {
    args: ['create', 'namespace', 'NS-extra'],
    post: '/api/v1/namespaces',
    printed: /^namespace\/NS-extra created$/,
    get: 'namespace/NS-extra',
    stored: {
      metadata: { labels: { 'kubernetes.io/metadata.name': 'NS-extra' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
  },
  poddisruptionbudget: {
    args: ['create', 'poddisruptionbudget', 'web', '--selector=app=web', '--max-unavailable=25%'],
    post: '/apis/policy/v1/namespaces/NS/poddisruptionbudgets',
    printed: /^poddisruptionbudget\.policy\/web created$/,
    get: 'pdb/web',
    stored: { spec: { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } } } },
  },
  priorityclass: {
    args: ['create', 'priorityclass', 'NS-high', '--value=1000', '--description=important'],
    post: '/apis/scheduling.k8s.io/v1/priorityclasses',
    printed: /^priorityclass\.scheduling\.k8s\.io\/NS-high created$/,
    get: 'priorityclass/NS-high',
    stored: { value: 1000, description: 'important', preemptionPolicy: 'PreemptLowerPriority' },
  },
  quota: {
    args: ['create', 'quota', 'limits', '--hard=cpu=2,memory=1Gi,pods=10', '--scopes=NotBestEffort'],
    post: '/api/v1/namespaces/NS/resourcequotas',
    printed: /^resourcequota\/limits created$/,
    get: 'quota/limits',
    stored: { spec: { hard: { cpu: '2', memory: '1Gi', pods: '10' }, scopes: ['NotBestEffort'] } },
  },
  role: {
    args: ['create', 'role', 'viewer', '--verb=get', '--resource=configmaps', '--resource-name=settings'],
    post: `/apis/${rbac}/v1/namespaces/NS/roles`,
    printed: /^role\.rbac\.authorization\.k8s\.io\/viewer created$/,
    get: 'role/viewer',
    stored: { rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] }] },
  },
  rolebinding: {
    args: ['create', 'rolebinding', 'viewers', '--role=viewer', '--serviceaccount=NS:robot'],
    post: `/apis/${rbac}/v1/namespaces/NS/rolebindings`,
    printed: /^rolebinding\.rbac\.authorization\.k8s\.io\/viewers created$/,
    get: 'rolebinding/viewers',
    stored: {
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'viewer' },
      subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'NS' }],
    },
  },
  'secret docker-registry': {
    args: [
      'create',
      'secret',
      'docker-registry',
      'pull',
      '--docker-server=registry.example.com',
      '--docker-username=u',
      '--docker-password=p',
    ],
    post: '/api/v1/namespaces/NS/secrets',
    printed: /^secret\/pull created$/,
    get: 'secret/pull',
    stored: {
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(
          '{"auths":{"registry.example.com":{"username":"u","password":"p","auth":"dTpw"}}}',
        ).toString('base64'),
      },
    },
  },
  'secret generic': {
    args: ['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t'],
    post: '/api/v1/namespaces/NS/secrets',
    printed: /^secret\/creds created$/,
    get: 'secret/creds',
    stored: { type: 'Opaque', data: { password: Buffer.from('s3cr3t').toString('base64') } },
  },
  'secret tls': {
    args: ['create', 'secret', 'tls', 'site-tls', '--cert=$files/tls.crt', '--key=$files/tls.key'],
    post: '/api/v1/namespaces/NS/secrets',
    printed: /^secret\/site-tls created$/,
    get: 'secret/site-tls',
    stored: { type: 'kubernetes.io/tls' },
  },
  'service clusterip': {
    args: ['create', 'service', 'clusterip', 'web', '--tcp=80:8080'],
    post: '/api/v1/namespaces/NS/services',
    printed: /^service\/web created$/,
    get: 'service/web',
    stored: {
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }],
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      },
    },
  },
  'service externalname': {
    args: ['create', 'service', 'externalname', 'upstream', '--external-name=api.example.com'],
    post: '/api/v1/namespaces/NS/services',
    printed: /^service\/upstream created$/,
    get: 'service/upstream',
    stored: { spec: { type: 'ExternalName', externalName: 'api.example.com', sessionAffinity: 'None' } },
  },
  'service loadbalancer': {
    args: ['create', 'service', 'loadbalancer', 'public', '--tcp=443:8443'],
    post: '/api/v1/namespaces/NS/services',
    printed: /^service\/public created$/,
    get: 'service/public',
    stored: {
      spec: {
        type: 'LoadBalancer',
        allocateLoadBalancerNodePorts: true,
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        ports: [{ name: '443-8443', port: 443, protocol: 'TCP', targetPort: 8443 }],
      },
    },
  },
  'service nodeport': {
    args: ['create', 'service', 'nodeport', 'node', '--tcp=80:http', '--node-port=NODEPORT'],
    post: '/api/v1/namespaces/NS/services',
    printed: /^service\/node created$/,
    get: 'service/node',
    stored: {
      spec: {
        type: 'NodePort',
        externalTrafficPolicy: 'Cluster',
        ports: [{ name: '80-http', port: 80, protocol: 'TCP', targetPort: 'http', nodePort: 'NODEPORT' }],
      },
    },
  },
  serviceaccount: {
    args: ['create', 'serviceaccount', 'robot'],
    post: '/api/v1/namespaces/NS/serviceaccounts',
    printed: /^serviceaccount\/robot created$/,
    get: 'serviceaccount/robot',
    stored: { metadata: { name: 'robot', namespace: 'NS' } },
  },
  token: {
    args: ['create', 'token', 'robot', '--duration=10m', '--audience=api.example.com'],
    post: '/api/v1/namespaces/NS/serviceaccounts/robot/token',
    printed: /^[\w-]+\.[\w-]+\.[\w-]+$/,
  },
  'auth whoami': {
    args: ['auth', 'whoami'],
    post: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    printed: /^ATTRIBUTE\s+VALUE\nUsername\s+kubernetes-admin\nGroups\s+\[system:masters system:authenticated\]$/,
  },
  'auth can-i --list': {
    args: ['auth', 'can-i', '--list'],
    post: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    printed: /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/,
  },
  'auth can-i': {
    args: ['auth', 'can-i', 'create', 'deployments.apps'],
    post: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    printed: /^yes$/,
  },
};

/** Replaces NS (namespace) and NODEPORT (a port of this version's own) in a case. */
function withNamespace<T>(value: T, ns: string, nodePort: number): T {
  const text = JSON.stringify(value)
    .replaceAll('"NODEPORT"', String(nodePort))
    .replaceAll('NODEPORT', String(nodePort));
  return JSON.parse(text.replaceAll('NS', ns)) as T;
}

describe.each<KubectlVersion>(['1.32', '1.35'])('kubectl %s create subcommands', (version) => {
  const ns = `create-${version.replace('.', '-')}`;
  const k = (args: string[]) => kubectl(version, ['-n', ns, ...args], { kubeconfig: wharf.kubeconfig });

  beforeAll(async () => {
    const created = await kubectl(version, ['create', 'namespace', ns], { kubeconfig: wharf.kubeconfig });
    expect(created.stdout, created.stderr).toBe(`namespace/${ns} created\n`);
  });

  // In order: the job --from=cronjob reads the cronjob, the rolebinding's subject is the service account.
  it.each(Object.keys(cases))('%s', async (name) => {
    const c = withNamespace(cases[name] as CreateCase, ns, 30000 + Number(version.split('.')[1]));
    const args = c.args.map((a) => a.replace('$files', files));
    // Before the arguments: everything after a `--` is the container's command.
    const result = await k(['-v=8', ...args]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(result.stderr).not.toMatch(discoveryTrouble);
    expect(result.stdout.trim()).toMatch(c.printed);

    const writes = requestsIn(result.stderr).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => new URL(r.url).pathname)).toEqual([c.post]);
    expect(writes[0]?.contentType).toBe('application/vnd.kubernetes.protobuf');
    // The logged body is a hex dump: the protobuf envelope starts with the bytes of "k8s\0".
    expect(result.stderr).toMatch(/"?Request Body"? body=<\n\s*00000000 {2}6b 38 73 00 /);

    if (c.get) {
      const got = await k(['get', c.get, '-o', 'json']);
      expect(got.code, got.stderr).toBe(0);
      expect(JSON.parse(got.stdout) as Json).toMatchObject(c.stored ?? {});
    }
  });

  it('stored the generated parts a real cluster fills in', async () => {
    const job = JSON.parse((await k(['get', 'job', 'once', '-o', 'json'])).stdout) as {
      metadata: { uid: string };
      spec: { selector: Json; manualSelector?: boolean };
    };
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } });
    expect(job.spec).not.toHaveProperty('manualSelector');
    const service = JSON.parse((await k(['get', 'service', 'web', '-o', 'json'])).stdout) as {
      spec: { clusterIP: string; clusterIPs: string[] };
    };
    expect(service.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(service.spec.clusterIPs).toEqual([service.spec.clusterIP]);
    const external = JSON.parse((await k(['get', 'service', 'upstream', '-o', 'json'])).stdout) as { spec: Json };
    expect(external.spec).not.toHaveProperty('clusterIP');
    expect(external.spec).not.toHaveProperty('internalTrafficPolicy');
    const lb = JSON.parse((await k(['get', 'service', 'public', '-o', 'json'])).stdout) as {
      spec: { ports: { nodePort: number }[] };
    };
    expect(lb.spec.ports[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.spec.ports[0]?.nodePort).toBeLessThanOrEqual(32767);
    const tls = JSON.parse((await k(['get', 'secret', 'site-tls', '-o', 'json'])).stdout) as {
      data: Record<string, string>;
    };
    expect(Buffer.from(tls.data['tls.crt'] ?? '', 'base64').toString()).toContain('-----BEGIN CERTIFICATE-----');
    expect(Buffer.from(tls.data['tls.key'] ?? '', 'base64').toString()).toContain('PRIVATE KEY-----');
    const priority = JSON.parse((await k(['get', 'priorityclass', `${ns}-high`, '-o', 'json'])).stdout) as Json;
    // globalDefault is a plain bool with omitempty: false is not stored.
    expect(priority).not.toHaveProperty('globalDefault');
  });

  it('create token issues a token for the service account and audience asked for', async () => {
    const result = await k(['create', 'token', 'robot', '--duration=10m', '--audience=api.example.com']);
    expect(result.code, result.stderr).toBe(0);
    const payload = JSON.parse(Buffer.from(result.stdout.trim().split('.')[1] ?? '', 'base64url').toString()) as {
      sub: string;
      aud: string[];
      exp: number;
      iat: number;
    };
    expect(payload.sub).toBe(`system:serviceaccount:${ns}:robot`);
    expect(payload.aud).toEqual(['api.example.com']);
    expect(payload.exp - payload.iat).toBe(600);
  });
});
