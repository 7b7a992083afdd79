/**
 * One minimal valid manifest per served type, for the table-driven kubectl tests. Each is what a user
 * would write by hand; the server fills in the defaults.
 */

export interface TypeCase {
  /** What kubectl is given: `deployments.apps`, `pods`. */
  resource: string;
  kind: string;
  isNamespaced: boolean;
  manifest(name: string, namespace: string): Record<string, unknown>;
}

const labels = { app: 'e2e' };
const podSpec = { containers: [{ name: 'main', image: 'nginx:1.27' }] };
const template = { metadata: { labels }, spec: podSpec };
const selector = { matchLabels: labels };

function type(
  resource: string,
  apiVersion: string,
  kind: string,
  isNamespaced: boolean,
  body: Record<string, unknown> = {},
): TypeCase {
  return {
    resource,
    kind,
    isNamespaced,
    manifest: (name, namespace) => ({
      apiVersion,
      kind,
      metadata: isNamespaced ? { name, namespace } : { name },
      ...body,
    }),
  };
}

export const typeCases: readonly TypeCase[] = [
  type('configmaps', 'v1', 'ConfigMap', true, { data: { key: 'value' } }),
  type('secrets', 'v1', 'Secret', true, { type: 'Opaque', stringData: { password: 's3cret' } }),
  type('serviceaccounts', 'v1', 'ServiceAccount', true),
  // Before its Service: deleting the Service makes the endpoints controller delete the Endpoints of the same
  // name (as on a real cluster), so a later `kubectl delete endpoints/x` would find nothing.
  type('endpoints', 'v1', 'Endpoints', true, {
    subsets: [{ addresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }],
  }),
  // No selector: the Endpoints object of the same name above is then the user's to manage. With a selector the
  // endpoints controller owns it and creating it would be AlreadyExists, as on a real cluster.
  type('services', 'v1', 'Service', true, { spec: { ports: [{ port: 80, targetPort: 8080 }] } }),
  type('pods', 'v1', 'Pod', true, { spec: podSpec }),
  type('persistentvolumeclaims', 'v1', 'PersistentVolumeClaim', true, {
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  }),
  type('replicationcontrollers', 'v1', 'ReplicationController', true, {
    spec: { replicas: 0, selector: labels, template },
  }),
  type('limitranges', 'v1', 'LimitRange', true, {
    spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
  }),
  type('resourcequotas', 'v1', 'ResourceQuota', true, { spec: { hard: { pods: '10' } } }),
  type('podtemplates', 'v1', 'PodTemplate', true, { template }),
  type('namespaces', 'v1', 'Namespace', false),
  type('persistentvolumes', 'v1', 'PersistentVolume', false, {
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv' } },
  }),
  type('deployments.apps', 'apps/v1', 'Deployment', true, { spec: { replicas: 0, selector, template } }),
  type('replicasets.apps', 'apps/v1', 'ReplicaSet', true, { spec: { replicas: 0, selector, template } }),
  type('statefulsets.apps', 'apps/v1', 'StatefulSet', true, {
    spec: { replicas: 0, serviceName: 'e2e', selector, template },
  }),
  type('daemonsets.apps', 'apps/v1', 'DaemonSet', true, { spec: { selector, template } }),
  type('jobs.batch', 'batch/v1', 'Job', true, {
    spec: { suspend: true, template: { spec: { ...podSpec, restartPolicy: 'Never' } } },
  }),
  type('cronjobs.batch', 'batch/v1', 'CronJob', true, {
    spec: {
      schedule: '*/5 * * * *',
      suspend: true,
      jobTemplate: { spec: { template: { spec: { ...podSpec, restartPolicy: 'OnFailure' } } } },
    },
  }),
  type('horizontalpodautoscalers.autoscaling', 'autoscaling/v2', 'HorizontalPodAutoscaler', true, {
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    },
  }),
  type('poddisruptionbudgets.policy', 'policy/v1', 'PodDisruptionBudget', true, {
    spec: { minAvailable: 1, selector },
  }),
  type('leases.coordination.k8s.io', 'coordination.k8s.io/v1', 'Lease', true, {
    spec: { holderIdentity: 'e2e', leaseDurationSeconds: 15 },
  }),
  type('endpointslices.discovery.k8s.io', 'discovery.k8s.io/v1', 'EndpointSlice', true, {
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.9'] }],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  }),
  type('ingresses.networking.k8s.io', 'networking.k8s.io/v1', 'Ingress', true, {
    spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
  }),
  type('ingressclasses.networking.k8s.io', 'networking.k8s.io/v1', 'IngressClass', false, {
    spec: { controller: 'example.com/ingress' },
  }),
  type('networkpolicies.networking.k8s.io', 'networking.k8s.io/v1', 'NetworkPolicy', true, {
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  }),
  type('roles.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'Role', true, {
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
  }),
  type('rolebindings.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'RoleBinding', true, {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
  }),
  type('clusterroles.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'ClusterRole', false, {
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
  }),
  type('clusterrolebindings.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', false, {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'Group', name: 'e2e', apiGroup: 'rbac.authorization.k8s.io' }],
  }),
  type('storageclasses.storage.k8s.io', 'storage.k8s.io/v1', 'StorageClass', false, {
    provisioner: 'example.com/none',
  }),
  type('priorityclasses.scheduling.k8s.io', 'scheduling.k8s.io/v1', 'PriorityClass', false, { value: 1000 }),
  type('runtimeclasses.node.k8s.io', 'node.k8s.io/v1', 'RuntimeClass', false, { handler: 'runc' }),
];
