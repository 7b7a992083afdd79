/**
 * Node labels Kubernetes deprecated, and the warnings it gives when a pod template still schedules by
 * them (nodeSelector, node affinity expressions, topology spread keys).
 */
import { field, type Obj } from './pod-templates.ts';

const deprecatedNodeLabels: Readonly<Record<string, string>> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
  'app.kubernetes.io/created-by': 'deprecated since v1.9',
  'scheduler.alpha.kubernetes.io/preferAvoidPods': 'deprecated since v1.22; use Taints and Tolerations instead',
  'node-role.kubernetes.io/master': 'use "node-role.kubernetes.io/control-plane" instead',
};

const deprecation = (key: unknown) =>
  typeof key === 'string' && Object.hasOwn(deprecatedNodeLabels, key) ? deprecatedNodeLabels[key] : undefined;

function termWarnings(term: Obj | undefined, path: string, out: string[]): void {
  const expressions = term?.matchExpressions;
  if (!Array.isArray(expressions)) return;
  expressions.forEach((e, i) => {
    const key = (e as Obj | null)?.key;
    const message = deprecation(key);
    if (message) out.push(`${path}.matchExpressions[${i}].key: ${String(key)} is ${message}`);
  });
}

const asList = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

/** `spec` is a pod spec; `path` its field path ending in "spec". Pushes to `out`. */
export function deprecatedNodeLabelWarnings(spec: Obj, path: string, out: string[]): void {
  const selector = field(spec, 'nodeSelector');
  for (const key of Object.keys(selector ?? {})) {
    const message = deprecation(key);
    if (message) out.push(`${path}.nodeSelector[${key}]: ${message}`);
  }
  const nodeAffinity = spec.affinity ? field(field(spec, 'affinity'), 'nodeAffinity') : undefined;
  const required = `${path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
  asList(field(nodeAffinity, 'requiredDuringSchedulingIgnoredDuringExecution')?.nodeSelectorTerms).forEach((t, i) => {
    termWarnings(t, `${required}[${i}]`, out);
  });
  const preferred = `${path}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`;
  asList(nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    termWarnings(field(t, 'preference'), `${preferred}[${i}].preference`, out);
  });
  asList(spec.topologySpreadConstraints).forEach((c, i) => {
    const at = `${path}.topologySpreadConstraints[${i}]`;
    const message = deprecation(c?.topologyKey);
    if (message) out.push(`${at}.topologyKey: ${String(c.topologyKey)} is ${message}`);
    if (c && c.labelSelector == null) out.push(`${at}.labelSelector: a null labelSelector results in matching no pod`);
  });
}
