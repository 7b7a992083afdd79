/**
 * Where a kind keeps its pod spec, and the field path kube's warnings name it by: a Pod is its own
 * template ("spec..."), workloads hold one at spec.template, a CronJob one level deeper, a PodTemplate
 * at template. Keyed by group/kind.
 */
import type { KubeObject } from '../../types/meta.ts';

export type Obj = Record<string, unknown>;

export interface PodTemplateAt {
  /** Field path of the pod spec: 'spec' for a Pod, 'spec.template.spec' for a Deployment. */
  specPath: string;
  /** The object holding `metadata` and `spec` of the pods (the Pod itself for a Pod). */
  template(object: KubeObject): Obj | undefined;
}

const field = (value: unknown, name: string): Obj | undefined => {
  const child = value && typeof value === 'object' ? (value as Obj)[name] : undefined;
  return child && typeof child === 'object' ? (child as Obj) : undefined;
};

const specTemplate: PodTemplateAt = {
  specPath: 'spec.template.spec',
  template: (o) => field(field(o, 'spec'), 'template'),
};

const templates = new Map<string, PodTemplateAt>([
  ['/Pod', { specPath: 'spec', template: (o) => o as unknown as Obj }],
  ['/PodTemplate', { specPath: 'template.spec', template: (o) => field(o, 'template') }],
  ['/ReplicationController', specTemplate],
  ['apps/Deployment', specTemplate],
  ['apps/ReplicaSet', specTemplate],
  ['apps/StatefulSet', specTemplate],
  ['apps/DaemonSet', specTemplate],
  ['batch/Job', specTemplate],
  [
    'batch/CronJob',
    {
      specPath: 'spec.jobTemplate.spec.template.spec',
      template: (o) => field(field(field(field(o, 'spec'), 'jobTemplate'), 'spec'), 'template'),
    },
  ],
]);

const byDef = new WeakMap<object, PodTemplateAt | null>();

/** `def`'s pod template location (looked up once per resource definition: this runs on every write). */
export function podTemplateOf(def: { group: string; kind: string }): PodTemplateAt | undefined {
  let at = byDef.get(def);
  if (at === undefined) {
    at = templates.get(`${def.group}/${def.kind}`) ?? null;
    byDef.set(def, at);
  }
  return at ?? undefined;
}

/** A container and where it sits below the pod spec (`containers[1]` is list 'containers', index 1). */
export interface ContainerAt {
  list: string;
  index: number;
  container: Obj;
}

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Each container in the order kube visits them. */
export function containersOf(spec: Obj): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const list of containerLists) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (let index = 0; index < containers.length; index++) {
      const container = containers[index];
      if (container && typeof container === 'object') out.push({ list, index, container: container as Obj });
    }
  }
  return out;
}

/** The field path of a container, built only when a warning names it. */
export const containerPath = (specPath: string, c: ContainerAt) => `${specPath}.${c.list}[${c.index}]`;

export { field };
