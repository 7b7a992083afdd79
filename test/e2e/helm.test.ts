/**
 * helm 4 against wharf: install a chart written here (Deployment, Service, ConfigMap, Secret), upgrade
 * it with new values, list, history, rollback and uninstall. helm 4 writes with server-side apply, so
 * its objects carry a managedFields entry of manager "helm" with operation Apply.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helm, kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';

let wharf: Wharf;
let chart: string;
const ns = 'helm-e2e';

const files: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\nappVersion: "1.0"\n',
  'values.yaml': 'image: nginx:1.25\nreplicas: 1\nsettings:\n  color: blue\n  size: "9"\npassword: s3cret\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels: {app: {{ .Release.Name }}}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers:
      - name: web
        image: {{ .Values.image }}
        ports: [{containerPort: 80}]
        envFrom: [{configMapRef: {name: {{ .Release.Name }}-settings}}]
`,
  'templates/service.yaml': `apiVersion: v1
kind: Service
metadata: {name: {{ .Release.Name }}-web}
spec:
  selector: {app: {{ .Release.Name }}}
  ports: [{port: 80, targetPort: 80}]
`,
  'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: {{ .Release.Name }}-settings}
data:
{{- range $k, $v := .Values.settings }}
  {{ $k }}: {{ $v | quote }}
{{- end }}
`,
  'templates/secret.yaml': `apiVersion: v1
kind: Secret
metadata: {name: {{ .Release.Name }}-auth}
type: Opaque
stringData: {password: {{ .Values.password | quote }}}
`,
};

beforeAll(async () => {
  wharf = await startWharf({ nodes: 1 });
  chart = mkdtempSync(join(tmpdir(), 'wharf-chart-'));
  mkdirSync(join(chart, 'templates'));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(chart, path), text);
});
afterAll(async () => {
  rmSync(chart, { recursive: true, force: true });
  expect(await wharf?.stop()).toBe(0);
});

interface Stored {
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: { manager: string; operation: string }[];
  };
  spec?: { replicas?: number; template?: { spec: { containers: { image: string }[] } } };
  data?: Record<string, string>;
}

describe('helm 4', () => {
  const h = async (args: string[]) => {
    const result = await helm(['-n', ns, ...args], { kubeconfig: wharf.kubeconfig, timeoutMs: 120_000 });
    expect(result.code, `helm ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const get = async (kind: string, name: string) => {
    const args = ['-n', ns, 'get', kind, name, '-o', 'json', '--show-managed-fields'];
    const result = await kubectl('1.35', args, { kubeconfig: wharf.kubeconfig });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Stored;
  };
  const missing = async (kind: string, name: string) =>
    (await kubectl('1.35', ['-n', ns, 'get', kind, name], { kubeconfig: wharf.kubeconfig })).stderr;

  it('installs, upgrades, lists, rolls back and uninstalls a release', async () => {
    expect(await h(['install', 'shop', chart, '--create-namespace'])).toMatch(/STATUS: deployed/);
    const web = await get('deployment', 'shop-web');
    expect(web.spec?.template?.spec.containers[0]?.image).toBe('nginx:1.25');
    expect(web.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(web.metadata.annotations?.['meta.helm.sh/release-name']).toBe('shop');
    expect(web.metadata.managedFields?.find((e) => e.manager === 'helm')?.operation).toBe('Apply');
    expect((await get('configmap', 'shop-settings')).data).toEqual({ color: 'blue', size: '9' });
    expect(Buffer.from((await get('secret', 'shop-auth')).data?.password ?? '', 'base64').toString()).toBe('s3cret');
    await get('service', 'shop-web');

    // Upgrade: new image and replicas, and a settings key dropped from the values.
    const upgraded = await h([
      'upgrade',
      'shop',
      chart,
      '--set',
      'image=nginx:1.27',
      '--set',
      'replicas=3',
      '--set',
      'settings.size=null',
    ]);
    expect(upgraded).toMatch(/REVISION: 2/);
    const after = await get('deployment', 'shop-web');
    expect(after.spec?.replicas).toBe(3);
    expect(after.spec?.template?.spec.containers[0]?.image).toBe('nginx:1.27');
    const settings = await get('configmap', 'shop-settings');
    expect(settings.data).toEqual({ color: 'blue' });
    expect(settings.metadata.managedFields?.filter((e) => e.manager === 'helm').map((e) => e.operation)).toEqual([
      'Apply',
    ]);

    const list = JSON.parse(await h(['list', '-o', 'json'])) as { name: string; revision: string; status: string }[];
    expect(list.map((r) => [r.name, String(r.revision), r.status])).toEqual([['shop', '2', 'deployed']]);
    const history = JSON.parse(await h(['history', 'shop', '-o', 'json'])) as { revision: number; status: string }[];
    expect(history.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);

    await h(['rollback', 'shop', '1']);
    const rolledBack = await get('deployment', 'shop-web');
    expect(rolledBack.spec?.replicas).toBe(1);
    expect(rolledBack.spec?.template?.spec.containers[0]?.image).toBe('nginx:1.25');
    expect((await get('configmap', 'shop-settings')).data).toEqual({ color: 'blue', size: '9' });
    const afterRollback = JSON.parse(await h(['history', 'shop', '-o', 'json'])) as {
      revision: number;
      status: string;
    }[];
    expect(afterRollback.map((r) => r.status)).toEqual(['superseded', 'superseded', 'deployed']);

    expect(await h(['uninstall', 'shop'])).toMatch(/release "shop" uninstalled/);
    for (const [kind, name] of [
      ['deployment', 'shop-web'],
      ['service', 'shop-web'],
      ['configmap', 'shop-settings'],
      ['secret', 'shop-auth'],
    ] as const) {
      expect(await missing(kind, name)).toMatch(/NotFound|not found/);
    }
    expect(JSON.parse(await h(['list', '-o', 'json']))).toEqual([]);
  });
});
