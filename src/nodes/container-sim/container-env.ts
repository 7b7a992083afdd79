/**
 * A container's environment and mounted files as the kubelet builds them: envFrom first, then env
 * (later wins), `$(VAR)` references to earlier variables, valueFrom from ConfigMaps, Secrets and the
 * downward API. A missing object or key that is not optional is the kubelet's
 * CreateContainerConfigError, with its message (kubelet_pods.go makeEnvironmentVariables).
 */
import type { ConfigMap, Container, Pod, Secret } from '../api-types.ts';
import { expandKubeReferences } from './kube-expand.ts';

/** Read access to the objects a pod references, from the kubelet's informer caches. */
export interface ObjectLookup {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
}

export interface PodNetwork {
  podIP?: string;
  hostIP?: string;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

function secretData(secret: Secret): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) data[key] = decode(value);
  return { ...data, ...(secret.stringData ?? {}) };
}

function fieldValue(pod: Pod, path: string, network: PodNetwork): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed) return (keyed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[keyed[2] ?? ''] ?? '';
  const values: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName,
    'spec.serviceAccountName': (pod.spec as { serviceAccountName?: string }).serviceAccountName ?? 'default',
    'status.podIP': network.podIP,
    'status.podIPs': network.podIP,
    'status.hostIP': network.hostIP,
    'status.hostIPs': network.hostIP,
  };
  return values[path] ?? '';
}

/** The environment in definition order; the image's PATH and HOSTNAME first, as `env` shows them. */
export function resolveEnv(
  pod: Pod,
  container: Container,
  lookup: ObjectLookup,
  network: PodNetwork,
): Resolved<Map<string, string>> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', pod.metadata.name ?? ''],
  ]);
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const name = source.configMapRef.name ?? '';
      const cm = lookup.configMap(namespace, name);
      if (!cm && !source.configMapRef.optional) return { ok: false, message: `configmap "${name}" not found` };
      for (const [key, value] of Object.entries(cm?.data ?? {})) env.set(prefix + key, value);
    }
    if (source.secretRef) {
      const name = source.secretRef.name ?? '';
      const secret = lookup.secret(namespace, name);
      if (!secret && !source.secretRef.optional) return { ok: false, message: `secret "${name}" not found` };
      for (const [key, value] of Object.entries(secret ? secretData(secret) : {})) env.set(prefix + key, value);
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      env.set(variable.name, expandKubeReferences(variable.value ?? '', env));
    } else if (from.fieldRef) {
      env.set(variable.name, fieldValue(pod, from.fieldRef.fieldPath, network));
    } else if (from.configMapKeyRef) {
      const { name = '', key, optional } = from.configMapKeyRef;
      const cm = lookup.configMap(namespace, name);
      if (!cm) {
        if (optional) continue;
        return { ok: false, message: `configmap "${name}" not found` };
      }
      const value = cm.data?.[key];
      if (value === undefined) {
        if (optional) continue;
        return { ok: false, message: `couldn't find key ${key} in ConfigMap ${namespace}/${name}` };
      }
      env.set(variable.name, value);
    } else if (from.secretKeyRef) {
      const { name = '', key, optional } = from.secretKeyRef;
      const secret = lookup.secret(namespace, name);
      if (!secret) {
        if (optional) continue;
        return { ok: false, message: `secret "${name}" not found` };
      }
      const value = secretData(secret)[key];
      if (value === undefined) {
        if (optional) continue;
        return { ok: false, message: `couldn't find key ${key} in Secret ${namespace}/${name}` };
      }
      env.set(variable.name, value);
    } else if (from.resourceFieldRef) {
      env.set(variable.name, resourceValue(container, from.resourceFieldRef.resource));
    }
  }
  // Service links for the default `kubernetes` Service, which every pod sees.
  env.set('KUBERNETES_SERVICE_HOST', '10.96.0.1');
  env.set('KUBERNETES_SERVICE_PORT', '443');
  env.set('KUBERNETES_PORT', 'tcp://10.96.0.1:443');
  return { ok: true, value: env };
}

function resourceValue(container: Container, resource: string): string {
  const [kind, name] = resource.split('.');
  const list = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  return list?.[name ?? ''] ?? '0';
}

/** Files a container sees from its configMap and secret volume mounts: path → content. */
export function mountedFiles(pod: Pod, container: Container, lookup: ObjectLookup): Map<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const files = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    let data: Record<string, string> | undefined;
    let items: { key: string; path: string }[] | undefined;
    if (volume?.configMap) {
      data = lookup.configMap(namespace, volume.configMap.name ?? '')?.data;
      items = volume.configMap.items;
    } else if (volume?.secret) {
      const secret = lookup.secret(namespace, volume.secret.secretName ?? '');
      data = secret ? secretData(secret) : undefined;
      items = volume.secret.items;
    }
    if (!data) continue;
    const base = mount.mountPath.replace(/\/$/, '');
    const entries = items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const { key, path } of entries) {
      const value = data[key];
      if (value === undefined) continue;
      if (mount.subPath) {
        if (mount.subPath === path) files.set(base, value);
      } else {
        files.set(`${base}/${path}`, value);
      }
    }
  }
  return files;
}
