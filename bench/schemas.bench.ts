/**
 * Schema validation of a 3-container Deployment in-process: the decode checks every write runs (ajv
 * types and unknown fields), the same plus the semantic rules and defaulting a create adds, and the
 * one-time cost of compiling the Deployment validator on first use, and protobuf decoding of the
 * same Deployment (bench/schemas-protobuf.ts). Rates are given per wall second (the targets) and per
 * CPU second of the process, which a loaded, shared machine does not depress.
 */
import { checkDecoding } from '../src/openapi/validation/decode-validator.ts';
import { deploymentStrategy } from '../src/registry/strategies/workload.ts';
import type { KubeObject } from '../src/types/meta.ts';
import { type Metric, metric } from './harness.ts';
import { measureProtobufDecode } from './schemas-protobuf.ts';
import { measureRate } from './schemas-timing.ts';

const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };

function container(name: string, image: string, port: number) {
  return {
    name,
    image,
    ports: [{ containerPort: port, name: `${name}-port` }],
    env: [{ name: 'MODE', value: 'production' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 5 },
    volumeMounts: [{ name: 'config', mountPath: `/etc/${name}` }],
  };
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'frontend' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web', tier: 'frontend' }, annotations: { 'example.com/owner': 'team-a' } },
      spec: {
        containers: [
          container('web', 'nginx:1.27', 80),
          container('api', 'example/api:2.1', 8080),
          container('sidecar', 'envoy', 9901),
        ],
        volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
      },
    },
  },
};

export default async function schemas(): Promise<Metric[]> {
  const compileStart = performance.now();
  checkDecoding(gvk, structuredClone(deployment), 'Strict');
  const compileMs = performance.now() - compileStart;

  const decodeOnly = () => checkDecoding(gvk, deployment, 'Strict');
  const fullCreate = () => {
    const object = structuredClone(deployment) as unknown as KubeObject;
    checkDecoding(gvk, object, 'Strict');
    deploymentStrategy.defaults?.(object);
    if (deploymentStrategy.validate?.(object).length) throw new Error('the bench Deployment is invalid');
  };
  measureRate(decodeOnly, 300);
  const decodeRate = measureRate(decodeOnly, 1500);
  measureRate(fullCreate, 300);
  const fullRate = measureRate(fullCreate, 1500);
  return [
    metric('validation (decode checks), 3-container Deployment', decodeRate.wall, 'ops/s', { min: 50_000 }),
    metric('validation (decode checks), per CPU second', decodeRate.cpu, 'ops/s'),
    metric('validation + semantic rules + defaulting (with a copy), 3-container Deployment', fullRate.wall, 'ops/s'),
    metric('first-use compile of the Deployment validator (all definitions)', compileMs, 'ms'),
    ...(await measureProtobufDecode(deployment)),
  ];
}
