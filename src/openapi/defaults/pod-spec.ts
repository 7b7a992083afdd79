/**
 * Defaults of a PodSpec as core/v1's SetObjectDefaults apply them to pods and to every pod template
 * (SetDefaults_PodSpec, _Container, _Probe, _HTTPGetAction, _Volume and the volume sources,
 * _ObjectFieldSelector), so `kubectl get -o yaml` shows what a real cluster shows. Pod-only defaults
 * (SetDefaults_Pod) are in defaultPod.
 */
import { arrayField, objectField, setDefault } from '../../registry/strategies/shared.ts';
import type { KubeObject } from '../../types/meta.ts';

type Json = Record<string, unknown>;

const child = (parent: Json, field: string): Json | undefined => {
  const v = parent[field];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
};

/** 0644: what secret, configMap, downwardAPI and projected volumes give their files. */
const defaultMode = 0o644;

/** An untagged or :latest image is pulled every time; a pinned one (tag or digest) only when missing. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(handler: Json | undefined): void {
  const httpGet = handler && child(handler, 'httpGet');
  if (!httpGet) return;
  setDefault(httpGet, 'path', '/');
  setDefault(httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: Json | undefined): void {
  if (!probe) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  defaultHandler(probe);
}

function defaultFieldRefs(items: Json[]): void {
  for (const item of items) {
    const fieldRef = child(item, 'fieldRef');
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

function defaultContainer(c: Json, isHostNetwork: boolean): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(typeof c.image === 'string' ? c.image : ''));
  setDefault(c, 'resources', {});
  for (const port of arrayField(c, 'ports')) {
    setDefault(port, 'protocol', 'TCP');
    if (isHostNetwork) setDefault(port, 'hostPort', port.containerPort);
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(child(c, probe));
  const lifecycle = child(c, 'lifecycle');
  if (lifecycle) for (const hook of ['postStart', 'preStop']) defaultHandler(child(lifecycle, hook));
  defaultFieldRefs(arrayField(c, 'env').flatMap((e) => (child(e, 'valueFrom') ? [child(e, 'valueFrom') as Json] : [])));
}

const volumeSources = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

function defaultVolume(volume: Json): void {
  // A volume that names no source is an emptyDir (SetDefaults_Volume).
  if (!volumeSources.some((source) => volume[source] !== undefined && volume[source] !== null)) volume.emptyDir = {};
  const hostPath = child(volume, 'hostPath');
  if (hostPath) setDefault(hostPath, 'type', '');
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const s = child(volume, source);
    if (s) setDefault(s, 'defaultMode', defaultMode);
  }
  const downward = child(volume, 'downwardAPI');
  if (downward) defaultFieldRefs(arrayField(downward, 'items'));
  const projected = child(volume, 'projected');
  for (const p of projected ? arrayField(projected, 'sources') : []) {
    const token = child(p, 'serviceAccountToken');
    if (token) setDefault(token, 'expirationSeconds', 3600);
    const api = child(p, 'downwardAPI');
    if (api) defaultFieldRefs(arrayField(api, 'items'));
  }
}

export function defaultPodSpec(spec: Json): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  const isHostNetwork = spec.hostNetwork === true;
  for (const c of [...arrayField(spec, 'initContainers'), ...arrayField(spec, 'containers')]) {
    defaultContainer(c, isHostNetwork);
  }
  for (const volume of arrayField(spec, 'volumes')) defaultVolume(volume);
}

/** Defaults the pod template at `path` (`spec.template`, or deeper for CronJobs' jobTemplate). */
export function defaultTemplateAt(object: KubeObject, path: readonly string[]): void {
  let current: Json = object;
  for (const part of path) current = objectField(current, part);
  defaultPodSpec(objectField(current, 'spec'));
}

/**
 * Pods only (SetDefaults_Pod): a container that sets limits but not requests requests its limits, and
 * service links are on.
 */
export function defaultPod(object: KubeObject): void {
  const spec = objectField(object, 'spec');
  for (const c of [...arrayField(spec, 'initContainers'), ...arrayField(spec, 'containers')]) {
    const resources = child(c, 'resources');
    const limits = resources && child(resources, 'limits');
    if (!resources || !limits || Object.keys(limits).length === 0) continue;
    const requests = objectField(resources, 'requests');
    for (const [name, limit] of Object.entries(limits)) setDefault(requests, name, limit);
  }
  setDefault(spec, 'enableServiceLinks', true);
  defaultPodSpec(spec);
}
