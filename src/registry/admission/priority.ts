/**
 * The Priority admission step on pod create (kube-apiserver's Priority plugin): spec.priorityClassName
 * resolves to spec.priority and spec.preemptionPolicy from the PriorityClass; without a name, the class
 * marked globalDefault applies, else priority 0. A name that does not exist is refused with 403, and a
 * pod may not set spec.priority itself to something other than its class's value.
 */
import { forbidden } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { storageKey, storagePrefix } from '../keys.ts';
import type { RegistryState } from '../registry-state.ts';

interface PriorityClass extends KubeObject {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

/** The two classes every cluster has, as kube-apiserver creates them. */
export const systemPriorityClasses: Readonly<Record<string, { value: number; preemptionPolicy: string }>> = {
  'system-cluster-critical': { value: 2_000_000_000, preemptionPolicy: 'PreemptLowerPriority' },
  'system-node-critical': { value: 2_000_001_000, preemptionPolicy: 'PreemptLowerPriority' },
};

async function readClass(state: RegistryState, name: string): Promise<PriorityClass | undefined> {
  const def = state.table.lookup('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (!def) return undefined;
  const { kv } = await state.store.get(storageKey(def, undefined, name));
  return kv ? (state.decoder.decode(kv) as PriorityClass) : undefined;
}

async function globalDefault(state: RegistryState): Promise<PriorityClass | undefined> {
  const def = state.table.lookup('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (!def) return undefined;
  const { kvs } = await state.store.list(storagePrefix(def, undefined));
  for (const kv of kvs) {
    const c = state.decoder.decode(kv) as PriorityClass;
    if (c.globalDefault) return c;
  }
  return undefined;
}

export async function admitPodPriority(state: RegistryState, pod: KubeObject): Promise<void> {
  const spec = (pod.spec ?? {}) as { priorityClassName?: string; priority?: number; preemptionPolicy?: string };
  const name = spec.priorityClassName;
  let value = 0;
  let policy = 'PreemptLowerPriority';
  if (name) {
    const system = systemPriorityClasses[name];
    const found = system ? undefined : await readClass(state, name);
    if (!system && !found) {
      throw forbidden(
        { group: '', resource: 'pods' },
        pod.metadata.name ?? '',
        `no PriorityClass with name ${name} was found`,
      );
    }
    value = system?.value ?? found?.value ?? 0;
    policy = system?.preemptionPolicy ?? found?.preemptionPolicy ?? policy;
  } else {
    const fallback = await globalDefault(state);
    if (fallback) {
      value = fallback.value ?? 0;
      policy = fallback.preemptionPolicy ?? policy;
      spec.priorityClassName = fallback.metadata.name;
    }
  }
  if (spec.priority !== undefined && spec.priority !== value) {
    throw forbidden(
      { group: '', resource: 'pods' },
      pod.metadata.name ?? '',
      'the integer value of priority must not be provided in pod spec; priority admission controller computed ' +
        `${value} from the given PriorityClass name`,
    );
  }
  spec.priority = value;
  spec.preemptionPolicy ??= policy;
  pod.spec = spec;
}
