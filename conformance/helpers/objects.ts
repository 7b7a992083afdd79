/**
 * Builders for the objects conformance tests create. Small, valid, and close to the upstream
 * fixtures (images such as registry.k8s.io/pause and httpd, which simulated nodes accept as pullable).
 */
import type { KubeObject } from '../../src/types/meta.ts';

export const pauseImage = 'registry.k8s.io/pause:3.10';
export const httpdImage = 'registry.k8s.io/e2e-test-images/httpd:2.4.38-4';
export const agnhostImage = 'registry.k8s.io/e2e-test-images/agnhost:2.52';

export interface Meta {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const meta = (name: string, m: Meta) => ({
  name,
  ...(m.namespace ? { namespace: m.namespace } : {}),
  ...(m.labels ? { labels: m.labels } : {}),
  ...(m.annotations ? { annotations: m.annotations } : {}),
});

export function podSpec(o: { image?: string; containerName?: string; extra?: Record<string, unknown> } = {}) {
  return {
    containers: [{ name: o.containerName ?? 'main', image: o.image ?? pauseImage }],
    terminationGracePeriodSeconds: 1,
    ...o.extra,
  };
}

export function pod(name: string, m: Meta & { spec?: Record<string, unknown>; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, m),
    spec: m.spec ?? podSpec(m.image ? { image: m.image } : {}),
  };
}

export function podTemplate(labels: Record<string, string>, image = httpdImage) {
  return { metadata: { labels }, spec: podSpec({ image, containerName: 'httpd' }) };
}

/** Deployment, ReplicaSet, StatefulSet or DaemonSet-shaped workload with a matching selector. */
export function workload(
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet',
  name: string,
  o: Meta & { replicas?: number; selector: Record<string, string>; image?: string; spec?: Record<string, unknown> },
): KubeObject {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: o.selector },
    template: podTemplate(o.selector, o.image),
    ...o.spec,
  };
  if (kind !== 'DaemonSet') spec.replicas = o.replicas ?? 1;
  if (kind === 'StatefulSet') spec.serviceName = name;
  return { apiVersion: 'apps/v1', kind, metadata: meta(name, o), spec };
}

export function replicationController(
  name: string,
  o: Meta & { replicas?: number; selector: Record<string, string>; image?: string },
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: meta(name, o),
    spec: { replicas: o.replicas ?? 1, selector: o.selector, template: podTemplate(o.selector, o.image) },
  };
}

export function configMap(name: string, m: Meta & { data?: Record<string, string> } = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, m), data: m.data ?? { key: 'value' } };
}

export function secret(name: string, m: Meta & { data?: Record<string, string> } = {}): KubeObject {
  const data = Object.fromEntries(
    Object.entries(m.data ?? { key: 'value' }).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(name, m), type: 'Opaque', data };
}

export function service(name: string, m: Meta & { selector?: Record<string, string>; port?: number } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, m),
    spec: {
      ...(m.selector ? { selector: m.selector } : {}),
      ports: [{ name: 'http', port: m.port ?? 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

export function job(name: string, m: Meta & { spec?: Record<string, unknown>; command?: string[] } = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(name, m),
    spec: {
      parallelism: 1,
      completions: 1,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'c',
              image: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1',
              command: m.command ?? ['sleep', '3600'],
            },
          ],
        },
      },
      ...m.spec,
    },
  };
}

/** Any object: apiVersion, kind, name and the rest of the body as given. */
export function object(
  apiVersion: string,
  kind: string,
  name: string,
  m: Meta,
  body: Record<string, unknown>,
): KubeObject {
  return { apiVersion, kind, metadata: meta(name, m), ...body };
}

/** Deep copy of a wire object, for read-modify-write updates. */
export const copy = <T>(value: T): T => structuredClone(value);
