/**
 * The RuntimeClass admission step on pod create (kube-apiserver's RuntimeClass plugin): a pod naming
 * spec.runtimeClassName gets that class's overhead.podFixed as spec.overhead and its scheduling
 * nodeSelector and tolerations merged in; a class that does not exist, an overhead the pod set that
 * differs from the class's, an overhead without a class that defines one, and a nodeSelector that
 * contradicts the class's are refused with 403.
 */
import { parseQuantity } from '../../quantity.ts';
import { forbidden } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { storageKey } from '../keys.ts';
import type { RegistryState } from '../registry-state.ts';

type ResourceList = Record<string, string>;

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

interface RuntimeClass extends KubeObject {
  overhead?: { podFixed?: ResourceList };
  scheduling?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
}

interface PodSpec {
  runtimeClassName?: string;
  overhead?: ResourceList;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
}

async function readRuntimeClass(state: RegistryState, name: string): Promise<RuntimeClass | undefined> {
  const def = state.table.lookup('node.k8s.io', 'v1', 'runtimeclasses');
  if (!def) return undefined;
  const { kv } = await state.store.get(storageKey(def, undefined, name));
  return kv ? (state.decoder.decode(kv) as RuntimeClass) : undefined;
}

/** Same resources with equal amounts (`1Mi` equals `1048576`), as apimachinery's semantic equality. */
function sameResources(a: ResourceList, b: ResourceList): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => b[k] !== undefined && parseQuantity(a[k] as string) === parseQuantity(b[k] as string));
}

const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? '') === (b.key ?? '') &&
  (a.operator ?? 'Equal') === (b.operator ?? 'Equal') &&
  (a.value ?? '') === (b.value ?? '') &&
  (a.effect ?? '') === (b.effect ?? '') &&
  a.tolerationSeconds === b.tolerationSeconds;

export async function admitRuntimeClass(state: RegistryState, pod: KubeObject): Promise<void> {
  const spec = (pod.spec ?? {}) as PodSpec;
  const refuse = (why: string) => forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? '', why);
  const name = spec.runtimeClassName;
  const runtimeClass = name ? await readRuntimeClass(state, name) : undefined;
  if (name && !runtimeClass) throw refuse(`pod rejected: RuntimeClass "${name}" not found`);

  const podFixed = runtimeClass?.overhead?.podFixed;
  if (podFixed) {
    if (spec.overhead && !sameResources(spec.overhead, podFixed)) {
      throw refuse("pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
    }
    spec.overhead = { ...podFixed };
  } else if (spec.overhead) {
    throw refuse('pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
  }

  const scheduling = runtimeClass?.scheduling;
  if (!scheduling) return;
  for (const [key, value] of Object.entries(scheduling.nodeSelector ?? {})) {
    const podValue = spec.nodeSelector?.[key];
    if (podValue !== undefined && podValue !== value) {
      throw refuse(
        `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${podValue}`,
      );
    }
  }
  if (scheduling.nodeSelector) spec.nodeSelector = { ...spec.nodeSelector, ...scheduling.nodeSelector };
  const extra = (scheduling.tolerations ?? []).filter((t) => !spec.tolerations?.some((p) => sameToleration(p, t)));
  if (extra.length) spec.tolerations = [...(spec.tolerations ?? []), ...extra];
}
