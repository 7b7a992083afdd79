/**
 * Defaults of the kinds that have no strategy of their own, as kube-apiserver fills them in
 * (the SetDefaults_* of autoscaling/v1 and v2, networking/v1, storage/v1, rbac/v1,
 * admissionregistration/v1, discovery/v1 and core/v1 LimitRange and Endpoints). The registry runs
 * them on create and update, before validation, like a strategy's own `defaults`.
 */
import type { KubeObject } from '../../types/meta.ts';

type Fields = Record<string, unknown>;
type Defaulter = (object: KubeObject) => void;

const isObject = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);
const objects = (v: unknown): Fields[] => (Array.isArray(v) ? v.filter(isObject) : []);
const unset = (v: unknown) => v === undefined || v === null;

function field(parent: Fields, name: string): Fields {
  const v = parent[name];
  if (isObject(v)) return v;
  const created: Fields = {};
  parent[name] = created;
  return created;
}

function setDefault(target: Fields, name: string, value: unknown): void {
  if (unset(target[name])) target[name] = value;
}

const specOf = (object: KubeObject) => field(object, 'spec');

// autoscaling/v2: the scaling rules HPAs had before `behavior` existed; scale-down keeps no window
// of its own (the controller's --horizontal-pod-autoscaler-downscale-stabilization applies).
const scaleUpRules = () => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
const scaleDownRules = () => ({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

/** Fills every unset part of a rule set from the defaults; a rule set the user left out is the default. */
function scalingRules(given: unknown, defaults: Fields): Fields {
  if (!isObject(given)) return defaults;
  const out = { ...given };
  for (const [k, v] of Object.entries(defaults)) setDefault(out, k, v);
  return out;
}

const defaultCpuUtilization = 80;

const autoscalerV2: Defaulter = (object) => {
  const spec = specOf(object);
  setDefault(spec, 'minReplicas', 1);
  if (objects(spec.metrics).length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCpuUtilization } },
      },
    ];
  }
  // Only a behavior that is there gets its rules completed.
  if (isObject(spec.behavior)) {
    spec.behavior.scaleUp = scalingRules(spec.behavior.scaleUp, scaleUpRules());
    spec.behavior.scaleDown = scalingRules(spec.behavior.scaleDown, scaleDownRules());
  }
};

/** autoscaling/v1 sees the v2 metric default through conversion: an unset CPU target reads back as 80. */
const autoscalerV1: Defaulter = (object) => {
  const spec = specOf(object);
  setDefault(spec, 'minReplicas', 1);
  setDefault(spec, 'targetCPUUtilizationPercentage', defaultCpuUtilization);
};

const networkPolicy: Defaulter = (object) => {
  const spec = specOf(object);
  const rules = [...objects(spec.ingress), ...objects(spec.egress)];
  for (const rule of rules) for (const port of objects(rule.ports)) setDefault(port, 'protocol', 'TCP');
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = objects(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
};

const ingressClass: Defaulter = (object) => {
  const parameters = specOf(object).parameters;
  if (isObject(parameters)) setDefault(parameters, 'scope', 'Cluster');
};

const storageClass: Defaulter = (object) => {
  setDefault(object, 'reclaimPolicy', 'Delete');
  setDefault(object, 'volumeBindingMode', 'Immediate');
};

const rbacGroup = 'rbac.authorization.k8s.io';
const roleBinding: Defaulter = (object) => {
  const roleRef = field(object, 'roleRef');
  if (!roleRef.apiGroup) roleRef.apiGroup = rbacGroup;
  for (const subject of objects(object.subjects)) {
    // A ServiceAccount's apiGroup is the core group: "", which JSON omits.
    if (!subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = rbacGroup;
  }
};

function webhooks(mutating: boolean): Defaulter {
  return (object) => {
    for (const hook of objects(object.webhooks)) {
      setDefault(hook, 'failurePolicy', 'Fail');
      setDefault(hook, 'matchPolicy', 'Equivalent');
      setDefault(hook, 'namespaceSelector', {});
      setDefault(hook, 'objectSelector', {});
      setDefault(hook, 'timeoutSeconds', 10);
      if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
      for (const rule of objects(hook.rules)) setDefault(rule, 'scope', '*');
      const service = isObject(hook.clientConfig) ? hook.clientConfig.service : undefined;
      if (isObject(service)) setDefault(service, 'port', 443);
    }
  };
}

const endpointSlice: Defaulter = (object) => {
  for (const port of objects(object.ports)) {
    setDefault(port, 'name', '');
    setDefault(port, 'protocol', 'TCP');
  }
};

const endpoints: Defaulter = (object) => {
  for (const subset of objects(object.subsets))
    for (const port of objects(subset.ports)) setDefault(port, 'protocol', 'TCP');
};

/** Container limits: the default limit falls back to max, the default request to the limit, then min. */
const limitRange: Defaulter = (object) => {
  for (const item of objects(specOf(object).limits)) {
    if (item.type !== 'Container') continue;
    const max = isObject(item.max) ? item.max : {};
    const min = isObject(item.min) ? item.min : {};
    const limit: Fields = { ...max, ...(isObject(item.default) ? item.default : {}) };
    const request: Fields = { ...min, ...limit, ...(isObject(item.defaultRequest) ? item.defaultRequest : {}) };
    if (Object.keys(limit).length > 0) item.default = limit;
    if (Object.keys(request).length > 0) item.defaultRequest = request;
  }
};

const byKind = new Map<string, Defaulter>([
  ['autoscaling/v2/HorizontalPodAutoscaler', autoscalerV2],
  ['autoscaling/v1/HorizontalPodAutoscaler', autoscalerV1],
  ['networking.k8s.io/v1/NetworkPolicy', networkPolicy],
  ['networking.k8s.io/v1/IngressClass', ingressClass],
  ['storage.k8s.io/v1/StorageClass', storageClass],
  [`${rbacGroup}/v1/RoleBinding`, roleBinding],
  [`${rbacGroup}/v1/ClusterRoleBinding`, roleBinding],
  ['admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration', webhooks(false)],
  ['admissionregistration.k8s.io/v1/MutatingWebhookConfiguration', webhooks(true)],
  ['discovery.k8s.io/v1/EndpointSlice', endpointSlice],
  ['/v1/Endpoints', endpoints],
  ['/v1/LimitRange', limitRange],
]);

/** The defaulting of a kind without a strategy of its own, or undefined when it has none. */
export function kindDefaults(group: string, version: string, kind: string): Defaulter | undefined {
  return byKind.get(`${group}/${version}/${kind}`);
}
