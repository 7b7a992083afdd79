/**
 * Every built-in resource, declared once as data (STYLE §3). Routes, discovery, storage keys and field
 * selectors derive from this table; what is specific to a kind lives in its strategy.
 * Short names and categories are kube-apiserver's.
 */

import { clusterApiResources } from './cluster-api-resources.ts';
import { eventFromCore, eventToCore } from './conversion/events.ts';
import { autoscalerV1ToV2, autoscalerV2ToV1 } from './conversion/horizontal-pod-autoscaler.ts';
import { defineResource as define, type ResourceEntry, statusSubresource as status } from './define-resource.ts';
import { configMapStrategy, secretStrategy } from './strategies/config-data.ts';
import { customResourceDefinitionStrategy } from './strategies/custom-resource-definition.ts';
import { cronJobStrategy, jobStrategy } from './strategies/job.ts';
import { namespaceStrategy } from './strategies/namespace.ts';
import { nodeStrategy } from './strategies/node.ts';
import { podStrategy } from './strategies/pod.ts';
import { priorityClassStrategy } from './strategies/priority-class.ts';
import { serviceStrategy } from './strategies/service.ts';
import { fieldPath } from './strategies/shared.ts';
import { persistentVolumeClaimStrategy, persistentVolumeStrategy } from './strategies/volume.ts';
import {
  daemonSetStrategy,
  deploymentStrategy,
  generationTrackingStrategy,
  replicatedStrategy,
  replicationControllerStrategy,
  statefulSetStrategy,
} from './strategies/workload.ts';
import type { ResourceDef, Strategy, SubresourceDef, Verb } from './types.ts';

const readWrite = ['get', 'patch', 'update'] as const;
const scale: SubresourceDef = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: readWrite };
const proxy: SubresourceDef = { name: 'proxy', kind: '', verbs: ['create', 'delete', 'get', 'patch', 'update'] };
const connect = (name: string, kind: string): SubresourceDef => ({ name, kind, verbs: ['create', 'get'] });

const pathNames: Strategy = { nameValidation: 'path' };
const createOnly: readonly Verb[] = ['create'];

const core = (e: Omit<ResourceEntry, 'group' | 'version'>) => define({ group: '', version: 'v1', ...e });

const podFields = Object.fromEntries(
  [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ].map((f) => [f, fieldPath(f)]),
);
podFields['status.podIPs'] = (o) => {
  const ips = (o.status as { podIPs?: { ip?: string }[] } | undefined)?.podIPs;
  return ips?.map((p) => p.ip ?? '').join(',') ?? '';
};

const eventFields = {
  ...Object.fromEntries(
    ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [
      `involvedObject.${f}`,
      fieldPath(`involvedObject.${f}`),
    ]),
  ),
  reason: fieldPath('reason'),
  reportingComponent: fieldPath('reportingComponent'),
  source: fieldPath('source.component'),
  type: fieldPath('type'),
};
const replicaFields = { 'status.replicas': fieldPath('status.replicas') };

export const builtinResources: readonly ResourceDef[] = [
  core({
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    strategy: namespaceStrategy,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [status, { name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
    fieldSelectors: { 'status.phase': fieldPath('status.phase') },
  }),
  core({
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    strategy: podStrategy,
    subresources: [
      status,
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      connect('exec', 'PodExecOptions'),
      connect('attach', 'PodAttachOptions'),
      connect('portforward', 'PodPortForwardOptions'),
      { ...proxy, kind: 'PodProxyOptions' },
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: readWrite },
    ],
    fieldSelectors: podFields,
  }),
  core({
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    strategy: serviceStrategy,
    subresources: [status, { ...proxy, kind: 'ServiceProxyOptions' }],
  }),
  core({ kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] }),
  core({ kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'], strategy: configMapStrategy }),
  core({
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    strategy: secretStrategy,
    fieldSelectors: { type: fieldPath('type') },
  }),
  core({
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
    strategy: { deleteReturnsObject: true },
    subresources: [
      { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
    ],
  }),
  core({
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    strategy: nodeStrategy,
    subresources: [status, { ...proxy, kind: 'NodeProxyOptions' }],
    fieldSelectors: {
      'spec.unschedulable': (o) => String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false),
    },
  }),
  core({ kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], fieldSelectors: eventFields }),
  core({
    kind: 'PersistentVolume',
    plural: 'persistentvolumes',
    namespaced: false,
    shortNames: ['pv'],
    strategy: persistentVolumeStrategy,
    subresources: [status],
  }),
  core({
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    shortNames: ['pvc'],
    strategy: persistentVolumeClaimStrategy,
    subresources: [status],
  }),
  core({
    kind: 'ReplicationController',
    plural: 'replicationcontrollers',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    strategy: replicationControllerStrategy,
    subresources: [status, scale],
    fieldSelectors: replicaFields,
  }),
  core({ kind: 'LimitRange', plural: 'limitranges', namespaced: true, shortNames: ['limits'] }),
  core({
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    namespaced: true,
    shortNames: ['quota'],
    subresources: [status],
  }),
  core({ kind: 'PodTemplate', plural: 'podtemplates', namespaced: true }),
  define({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    // deployments/status keeps the stored labels (kube deploymentStatusStrategy).
    strategy: { ...deploymentStrategy, statusResetsMetadata: ['labels'] },
    subresources: [status, scale],
  }),
  define({
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    strategy: replicatedStrategy,
    subresources: [status, scale],
    fieldSelectors: replicaFields,
  }),
  define({
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    strategy: statefulSetStrategy,
    subresources: [status, scale],
  }),
  define({
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    strategy: daemonSetStrategy,
    subresources: [status],
  }),
  define({ group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true }),
  define({
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
    categories: ['all'],
    strategy: jobStrategy,
    subresources: [status],
    fieldSelectors: { 'status.successful': fieldPath('status.successful') },
  }),
  define({
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    strategy: cronJobStrategy,
    subresources: [status],
  }),
  define({
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    strategy: generationTrackingStrategy,
    subresources: [status],
  }),
  define({
    group: 'autoscaling',
    version: 'v1',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    strategy: generationTrackingStrategy,
    subresources: [status],
    storage: {
      group: 'autoscaling',
      resource: 'horizontalpodautoscalers',
      toStorage: autoscalerV1ToV2,
      fromStorage: autoscalerV2ToV1,
    },
  }),
  define({
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
    shortNames: ['pdb'],
    strategy: generationTrackingStrategy,
    subresources: [status],
  }),
  define({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true }),
  define({
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    namespaced: true,
  }),
  define({
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    storage: { group: '', resource: 'events', toStorage: eventToCore, fromStorage: eventFromCore },
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
    strategy: generationTrackingStrategy,
    subresources: [status],
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    plural: 'ingressclasses',
    namespaced: false,
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
    shortNames: ['netpol'],
    strategy: generationTrackingStrategy,
  }),
  ...(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'] as const).map((kind) =>
    define({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: !kind.startsWith('Cluster'),
      strategy: pathNames,
    }),
  ),
  define({
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    plural: 'storageclasses',
    namespaced: false,
    shortNames: ['sc'],
  }),
  define({
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    namespaced: false,
    shortNames: ['pc'],
    strategy: priorityClassStrategy,
  }),
  define({ group: 'node.k8s.io', version: 'v1', kind: 'RuntimeClass', plural: 'runtimeclasses', namespaced: false }),
  define({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    strategy: customResourceDefinitionStrategy,
    subresources: [status],
  }),
  ...(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const).map((kind) =>
    define({
      group: 'admissionregistration.k8s.io',
      version: 'v1',
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: false,
      categories: ['api-extensions'],
      strategy: generationTrackingStrategy,
    }),
  ),
  ...(['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'] as const).map((kind) =>
    define({
      group: 'authorization.k8s.io',
      version: 'v1',
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: false,
      verbs: createOnly,
    }),
  ),
  ...(['SelfSubjectReview', 'TokenReview'] as const).map((kind) =>
    define({
      group: 'authentication.k8s.io',
      version: 'v1',
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: false,
      verbs: createOnly,
    }),
  ),
  ...clusterApiResources,
];
