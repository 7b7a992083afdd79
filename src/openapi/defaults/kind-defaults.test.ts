/**
 * What a real cluster stores for a minimal manifest of each kind, through the registry's create: the
 * kinds defaulted by kind-defaults.ts (so the wiring in define-resource.ts is tested too) and those
 * whose strategies default them or that have no defaults at all (workloads: strategies/defaults.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { admin, newTestRegistry } from '../../registry/testing/test-registry.ts';
import type { KubeObject } from '../../types/meta.ts';

interface Case {
  group: string;
  version: string;
  plural: string;
  body: Record<string, unknown>;
  /** The stored object must contain this. */
  stored: Record<string, unknown>;
  /** Dotted paths that must stay unset. */
  absent?: string[];
}

const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu80 = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
const scaleUp = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const hook = (extra: Record<string, unknown> = {}) => ({
  name: 'check.example.com',
  clientConfig: { service: { namespace: 'default', name: 'hook' } },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  ...extra,
});
const webhookDefaults = {
  failurePolicy: 'Fail',
  matchPolicy: 'Equivalent',
  namespaceSelector: {},
  objectSelector: {},
  timeoutSeconds: 10,
  clientConfig: { service: { port: 443 } },
  rules: [{ scope: '*' }],
};

const cases: Record<string, Case> = {
  'HPA v2 without behavior': {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    body: { spec: { scaleTargetRef, maxReplicas: 5 } },
    stored: { spec: { minReplicas: 1, maxReplicas: 5, metrics: [cpu80] } },
    absent: ['spec.behavior'],
  },
  'HPA v2 with a partial behavior': {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    body: { spec: { scaleTargetRef, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } },
    stored: {
      spec: {
        behavior: {
          scaleUp,
          scaleDown: {
            stabilizationWindowSeconds: 60,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
          },
        },
      },
    },
  },
  'HPA v2 behavior with scaleUp only': {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    body: { spec: { scaleTargetRef, maxReplicas: 5, behavior: { scaleUp: { selectPolicy: 'Disabled' } } } },
    stored: {
      spec: {
        behavior: {
          scaleUp: { ...scaleUp, selectPolicy: 'Disabled' },
          scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
        },
      },
    },
    absent: ['spec.behavior.scaleDown.stabilizationWindowSeconds'],
  },
  'HPA v1': {
    group: 'autoscaling',
    version: 'v1',
    plural: 'horizontalpodautoscalers',
    body: { spec: { scaleTargetRef, maxReplicas: 3 } },
    stored: { spec: { minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 80 } },
  },
  'NetworkPolicy with ingress only': {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    body: { spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] } },
    stored: { spec: { policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] } },
  },
  'NetworkPolicy with egress': {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    body: { spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } },
    stored: { spec: { policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } },
  },
  IngressClass: {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingressclasses',
    body: { spec: { controller: 'example.com/ingress', parameters: { kind: 'Params', name: 'p' } } },
    stored: { spec: { parameters: { kind: 'Params', name: 'p', scope: 'Cluster' } } },
  },
  StorageClass: {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    body: { provisioner: 'example.com/disk' },
    stored: { provisioner: 'example.com/disk', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
  },
  RoleBinding: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'rolebindings',
    body: {
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', name: 'jane' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'default' },
      ],
    },
    stored: {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'default' },
      ],
    },
    absent: ['subjects.1.apiGroup'],
  },
  ClusterRoleBinding: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    body: { roleRef: { kind: 'ClusterRole', name: 'c' }, subjects: [{ kind: 'Group', name: 'devs' }] },
    stored: {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }],
    },
  },
  ValidatingWebhookConfiguration: {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingwebhookconfigurations',
    body: { webhooks: [hook()] },
    stored: { webhooks: [webhookDefaults] },
    absent: ['webhooks.0.reinvocationPolicy'],
  },
  MutatingWebhookConfiguration: {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'mutatingwebhookconfigurations',
    body: { webhooks: [hook({ failurePolicy: 'Ignore', timeoutSeconds: 5 })] },
    stored: {
      webhooks: [{ ...webhookDefaults, failurePolicy: 'Ignore', timeoutSeconds: 5, reinvocationPolicy: 'Never' }],
    },
  },
  EndpointSlice: {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    body: { addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] },
    stored: { ports: [{ port: 80, name: '', protocol: 'TCP' }] },
  },
  Endpoints: {
    group: '',
    version: 'v1',
    plural: 'endpoints',
    body: { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] },
    stored: { subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }] },
  },
  LimitRange: {
    group: '',
    version: 'v1',
    plural: 'limitranges',
    body: {
      spec: {
        limits: [
          { type: 'Container', max: { cpu: '2', memory: '1Gi' }, default: { cpu: '1' }, min: { memory: '64Mi' } },
          { type: 'Pod', max: { cpu: '4' } },
        ],
      },
    },
    stored: {
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '1', memory: '1Gi' },
            defaultRequest: { cpu: '1', memory: '1Gi' },
          },
          { type: 'Pod', max: { cpu: '4' } },
        ],
      },
    },
    absent: ['spec.limits.1.default', 'spec.limits.1.defaultRequest'],
  },
  'Job with a pod failure policy': {
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    body: {
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } },
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      },
    },
    stored: {
      metadata: { labels: { 'batch.kubernetes.io/job-name': 'x', 'job-name': 'x' } },
      spec: {
        backoffLimit: 6,
        podReplacementPolicy: 'Failed',
        podFailurePolicy: { rules: [{ onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
      },
    },
  },
  'Indexed Job with a per-index backoff limit and labels of its own': {
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    body: {
      metadata: { name: 'x', labels: { team: 'a' } },
      spec: {
        completions: 3,
        completionMode: 'Indexed',
        backoffLimitPerIndex: 1,
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] },
        },
      },
    },
    stored: {
      metadata: { labels: { team: 'a' } },
      spec: { backoffLimit: 2147483647, parallelism: 1, podReplacementPolicy: 'TerminatingOrFailed' },
    },
    absent: ['metadata.labels.app'],
  },
  PersistentVolume: {
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    body: { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } },
    stored: {
      spec: {
        persistentVolumeReclaimPolicy: 'Retain',
        volumeMode: 'Filesystem',
        hostPath: { path: '/data', type: '' },
      },
      status: { phase: 'Pending' },
    },
  },
  PersistentVolumeClaim: {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    body: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    stored: { spec: { volumeMode: 'Filesystem' } },
  },
  Secret: { group: '', version: 'v1', plural: 'secrets', body: { data: {} }, stored: { type: 'Opaque' } },
  'ServiceAccount (none)': {
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    body: {},
    stored: {},
    absent: ['secrets', 'automountServiceAccountToken', 'imagePullSecrets'],
  },
  'Ingress (none: pathType is required)': {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    body: {
      spec: {
        rules: [
          {
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }],
            },
          },
        ],
      },
    },
    stored: { spec: { rules: [{ http: { paths: [{ pathType: 'Prefix' }] } }] } },
    absent: ['spec.ingressClassName', 'spec.defaultBackend'],
  },
  PriorityClass: {
    group: 'scheduling.k8s.io',
    version: 'v1',
    plural: 'priorityclasses',
    body: { value: 10 },
    stored: { value: 10, preemptionPolicy: 'PreemptLowerPriority' },
    absent: ['globalDefault'],
  },
  'PodDisruptionBudget (none)': {
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    body: { spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } } },
    stored: { spec: { minAvailable: 1 } },
    absent: ['spec.unhealthyPodEvictionPolicy', 'spec.maxUnavailable'],
  },
};

function at(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown> | undefined)?.[part], object);
}

describe('kind defaults on create', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const t = await newTestRegistry();
    const def = t.def(c.plural, c.group, c.version);
    const body = {
      apiVersion: c.group ? `${c.group}/${c.version}` : c.version,
      kind: def.kind,
      ...c.body,
      metadata: { name: 'x', ...(c.body.metadata as object | undefined) },
    };
    const { object } = await t.registry.create(def, def.namespaced ? 'default' : undefined, body, admin);
    expect(object).toMatchObject(c.stored);
    for (const path of c.absent ?? []) expect(at(object as KubeObject, path), path).toBeUndefined();
  });
});
