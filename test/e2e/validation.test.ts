/**
 * Request validation through real kubectl 1.27, 1.28, 1.30, 1.32 and 1.35: server-side field validation
 * (strict, warn, ignore), the 422 an invalid Deployment gets, and the defaults `get -o yaml` shows for a
 * bare Deployment and for minimal manifests of kinds defaulted without a strategy of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 0 });
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const deployment = (name: string, options: { extra?: string; templateApp?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${options.templateApp ?? name}
    spec:
      containers:
      - name: web
        image: nginx:1.27
${options.extra ?? ''}`;

const withUnknownFields = (name: string) =>
  deployment(name, { extra: '        bogus: 1\n  foo: bar\n' }).replace('  replicas: 1\n', '  replicas: 1\n  zzz: 1\n');

describe.each<KubectlVersion>(['1.27', '1.28', '1.30', '1.32', '1.35'])('kubectl %s', (version) => {
  const minor = version.split('.')[1];
  const k = (args: string[], input?: string) =>
    kubectl(
      version,
      args,
      input === undefined ? { kubeconfig: wharf.kubeconfig } : { kubeconfig: wharf.kubeconfig, input },
    );

  it('--validate=strict rejects unknown fields with the server strict decoding error', async () => {
    const result = await k(['create', '-f', '-', '--validate=strict'], withUnknownFields(`strict-${minor}`));
    expect(result.code).toBe(1);
    // kubectl sends the manifest as JSON with sorted keys, so fields are reported in that order.
    expect(result.stderr).toContain(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].bogus", unknown field "spec.zzz"',
    );
  });

  it('--validate=warn creates the object and prints one warning per unknown field', async () => {
    const result = await k(['create', '-f', '-', '--validate=warn'], withUnknownFields(`warn-${minor}`));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Warning: unknown field "spec.foo"');
    expect(result.stderr).toContain('Warning: unknown field "spec.template.spec.containers[0].bogus"');
  });

  it('--validate=ignore creates the object without the unknown fields', async () => {
    const result = await k(['create', '-f', '-', '--validate=ignore'], withUnknownFields(`ignore-${minor}`));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const stored = await k(['get', 'deployment', `ignore-${minor}`, '-o', 'json']);
    const spec = (JSON.parse(stored.stdout) as { spec: Record<string, unknown> }).spec;
    expect(spec).not.toHaveProperty('foo');
    expect(spec).not.toHaveProperty('zzz');
    expect(JSON.stringify(spec.template)).not.toContain('bogus');
  });

  it('an invalid Deployment gets the 422 message of a real server', async () => {
    const name = `bad-${minor}`;
    const result = await k(['create', '-f', '-'], deployment(name, { templateApp: 'other' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `The Deployment "${name}" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: \`selector\` does not match template \`labels\``,
    );
  });

  it('a bare Deployment shows the defaults a real cluster fills in', async () => {
    const name = `bare-${minor}`;
    const created = await k(['create', '-f', '-'], deployment(name));
    expect(created.code, created.stderr).toBe(0);
    const yaml = (await k(['get', 'deployment', name, '-o', 'yaml'])).stdout;
    for (const line of [
      'progressDeadlineSeconds: 600',
      'revisionHistoryLimit: 10',
      'maxSurge: 25%',
      'maxUnavailable: 25%',
      'type: RollingUpdate',
      'imagePullPolicy: IfNotPresent',
      'terminationMessagePath: /dev/termination-log',
      'terminationMessagePolicy: File',
      'resources: {}',
      'dnsPolicy: ClusterFirst',
      'restartPolicy: Always',
      'schedulerName: default-scheduler',
      'securityContext: {}',
      'terminationGracePeriodSeconds: 30',
    ]) {
      expect(yaml).toContain(line);
    }
  });
});

describe('kubectl 1.35 get -o yaml of minimal manifests', () => {
  const manifests = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: minimal
provisioner: example.com/disk
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: minimal
spec:
  podSelector: {}
  ingress:
  - ports:
    - port: 80
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: minimal
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 4
  behavior:
    scaleDown: {stabilizationWindowSeconds: 60}
`;
  const k = (args: string[], input?: string) =>
    kubectl(
      '1.35',
      args,
      input === undefined ? { kubeconfig: wharf.kubeconfig } : { kubeconfig: wharf.kubeconfig, input },
    );

  it.each<[string, string[]]>([
    ['storageclass/minimal', ['reclaimPolicy: Delete', 'volumeBindingMode: Immediate']],
    ['networkpolicy/minimal', ['protocol: TCP', 'policyTypes:\n  - Ingress\n']],
    [
      'hpa/minimal',
      [
        'minReplicas: 1',
        'averageUtilization: 80',
        'scaleDown:\n      policies:\n      - periodSeconds: 15\n        type: Percent\n        value: 100\n      selectPolicy: Max\n      stabilizationWindowSeconds: 60',
        'scaleUp:\n      policies:\n      - periodSeconds: 15\n        type: Pods\n        value: 4\n      - periodSeconds: 15\n        type: Percent\n        value: 100\n      selectPolicy: Max\n      stabilizationWindowSeconds: 0',
      ],
    ],
  ])('%s shows what a real cluster stores', async (name, lines) => {
    if (name.startsWith('storageclass')) {
      const created = await k(['create', '-f', '-'], manifests);
      expect(created.code, created.stderr).toBe(0);
    }
    const { stdout } = await k(['get', name, '-o', 'yaml']);
    for (const line of lines) expect(stdout).toContain(line);
  });
});
