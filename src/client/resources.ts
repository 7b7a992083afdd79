/**
 * Resource refs for the kinds wharf's own components use. Data only; any other resource can be named
 * with an inline `ResourceRef` literal.
 */
import type { KubeObject } from '../types/meta.ts';
import type { ResourceRef } from './types.ts';

function ref<T extends KubeObject = KubeObject>(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
): ResourceRef<T> {
  return { group, version, kind, plural, namespaced };
}

export const namespaces = ref('', 'v1', 'Namespace', 'namespaces', false);
export const nodes = ref('', 'v1', 'Node', 'nodes', false);
export const pods = ref('', 'v1', 'Pod', 'pods', true);
export const services = ref('', 'v1', 'Service', 'services', true);
export const endpoints = ref('', 'v1', 'Endpoints', 'endpoints', true);
export const configMaps = ref('', 'v1', 'ConfigMap', 'configmaps', true);
export const secrets = ref('', 'v1', 'Secret', 'secrets', true);
export const serviceAccounts = ref('', 'v1', 'ServiceAccount', 'serviceaccounts', true);
export const events = ref('', 'v1', 'Event', 'events', true);
export const persistentVolumes = ref('', 'v1', 'PersistentVolume', 'persistentvolumes', false);
export const persistentVolumeClaims = ref('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true);
export const replicationControllers = ref('', 'v1', 'ReplicationController', 'replicationcontrollers', true);
export const resourceQuotas = ref('', 'v1', 'ResourceQuota', 'resourcequotas', true);
export const limitRanges = ref('', 'v1', 'LimitRange', 'limitranges', true);
export const deployments = ref('apps', 'v1', 'Deployment', 'deployments', true);
export const replicaSets = ref('apps', 'v1', 'ReplicaSet', 'replicasets', true);
export const statefulSets = ref('apps', 'v1', 'StatefulSet', 'statefulsets', true);
export const daemonSets = ref('apps', 'v1', 'DaemonSet', 'daemonsets', true);
export const controllerRevisions = ref('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true);
export const jobs = ref('batch', 'v1', 'Job', 'jobs', true);
export const cronJobs = ref('batch', 'v1', 'CronJob', 'cronjobs', true);
export const leases = ref('coordination.k8s.io', 'v1', 'Lease', 'leases', true);
export const endpointSlices = ref('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true);
export const eventsV1 = ref('events.k8s.io', 'v1', 'Event', 'events', true);
export const podDisruptionBudgets = ref('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true);
export const horizontalPodAutoscalers = ref(
  'autoscaling',
  'v2',
  'HorizontalPodAutoscaler',
  'horizontalpodautoscalers',
  true,
);
export const priorityClasses = ref('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false);
export const storageClasses = ref('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false);
export const customResourceDefinitions = ref(
  'apiextensions.k8s.io',
  'v1',
  'CustomResourceDefinition',
  'customresourcedefinitions',
  false,
);
