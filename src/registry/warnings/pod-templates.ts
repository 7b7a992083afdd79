/**
 * Where a kind keeps its pod spec, and the field path kube's warnings name it by: a Pod is its own
 * template ("spec..."), workloads hold one at spec.template, a CronJob one level deeper, a PodTemplate
 * at template. Keyed by group/kind.
 */
import type { KubeObject } from '../../types/meta.ts';

export type Obj = Record<string, unknown>;

export interface PodTemplateAt {
  /** Prefix of every warning's field path: '' for a Pod, 'spec.template.' for a Deployment. */
  prefix: string;
  /** The object holding `metadata` and `spec` of the pods (the Pod itself for a Pod). */
  template(object: KubeObject): Obj | undefined;
}

const field = (value: unknown, name: string): Obj | undefined => {
  const child = value && typeof value === 'object' ? (value as Obj)[name] : undefined;
  return child && typeof child === 'object' ? (child as Obj) : undefined;
};

const specTemplate: PodTemplateAt = {
  prefix: 'spec.template.',
  template: (o) => field(field(o, 'spec'), 'template'),
};

const templates = new Map<string, PodTemplateAt>([
  ['/Pod', { prefix: '', template: (o) => o as unknown as Obj }],
  ['/PodTemplate', { prefix: 'template.', template: (o) => field(o, 'template') }],
  ['/ReplicationController', specTemplate],
  ['apps/Deployment', specTemplate],
  ['apps/ReplicaSet', specTemplate],
  ['apps/StatefulSet', specTemplate],
  ['apps/DaemonSet', specTemplate],
  ['batch/Job', specTemplate],
  [
    'batch/CronJob',
    {
      prefix: 'spec.jobTemplate.spec.template.',
      template: (o) => field(field(field(field(o, 'spec'), 'jobTemplate'), 'spec'), 'template'),
    },
  ],
]);

export function podTemplateOf(group: string, kind: string): PodTemplateAt | undefined {
  return templates.get(`${group}/${kind}`);
}

/** Each container list in the order kube visits them, with its path below the pod spec. */
export function containersOf(spec: Obj): { path: string; container: Obj }[] {
  const out: { path: string; container: Obj }[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      if (container && typeof container === 'object') out.push({ path: `${list}[${i}]`, container: container as Obj });
    });
  }
  return out;
}

export { field };
