/**
 * Schema validation of a 3-container Deployment in-process: the decode checks every write runs (ajv
 * types and unknown fields), the same plus the semantic rules and defaulting a create adds, and the
 * one-time cost of compiling the Deployment validator on first use. Protobuf decoding metrics come
 * from bench/schemas-protobuf.ts when that file is present.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDecoding } from '../src/openapi/validation/decode-validator.ts';
import { deploymentStrategy } from '../src/registry/strategies/workload.ts';
import type { KubeObject } from '../src/types/meta.ts';
import { type Metric, metric } from './harness.ts';

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

function opsPerSecond(fn: () => void, ms: number): number {
  const batch = 500;
  let operations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) fn();
    operations += batch;
    elapsed = performance.now() - start;
  }
  return (operations * 1000) / elapsed;
}

async function protobufMetrics(): Promise<Metric[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  if (!existsSync(join(here, 'schemas-protobuf.ts'))) return [];
  const { measureProtobufDecode } = (await import('./schemas-protobuf.ts')) as {
    measureProtobufDecode: () => Promise<Metric[]>;
  };
  return measureProtobufDecode();
}

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
  opsPerSecond(decodeOnly, 300);
  const decodeRate = opsPerSecond(decodeOnly, 1500);
  opsPerSecond(fullCreate, 300);
  const fullRate = opsPerSecond(fullCreate, 1500);
  return [
    metric('validation (decode checks), 3-container Deployment', decodeRate, 'ops/s', { min: 50_000 }),
    metric('validation + semantic rules + defaulting (with a copy), 3-container Deployment', fullRate, 'ops/s'),
    metric('first-use compile of the Deployment validator (all definitions)', compileMs, 'ms'),
    ...(await protobufMetrics()),
  ];
}
