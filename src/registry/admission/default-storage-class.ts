/**
 * The DefaultStorageClass admission step on PersistentVolumeClaim create (kube-apiserver's
 * DefaultStorageClass plugin): a claim that names no class gets the cluster's default one. "No class"
 * means spec.storageClassName absent and no beta class annotation; an explicit "" asks for no class
 * (pre-created volumes without one) and stays. Without a default class the claim is left as it is.
 */
import type { KubeObject } from '../../types/meta.ts';
import { storagePrefix } from '../keys.ts';
import type { RegistryState } from '../registry-state.ts';

const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';
/** Either annotation set to "true" marks a default class (storageutil.IsDefaultAnnotation). */
const defaultClassAnnotations = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

const isDefault = (storageClass: KubeObject) =>
  defaultClassAnnotations.some((a) => storageClass.metadata.annotations?.[a] === 'true');

/**
 * The default StorageClass, or undefined. Of several, the newest by creationTimestamp, then the first
 * by name (kube's GetDefaultClass), so marking a second class default takes over without unmarking the first.
 */
async function defaultStorageClass(state: RegistryState): Promise<KubeObject | undefined> {
  const def = state.table.lookup('storage.k8s.io', 'v1', 'storageclasses');
  if (!def) return undefined;
  const { kvs } = await state.store.list(storagePrefix(def));
  let chosen: KubeObject | undefined;
  for (const kv of kvs) {
    const candidate = state.decoder.decode(kv) as KubeObject;
    if (isDefault(candidate) && (!chosen || isPreferred(candidate, chosen))) chosen = candidate;
  }
  return chosen;
}

function isPreferred(a: KubeObject, b: KubeObject): boolean {
  const aCreated = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const bCreated = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (aCreated !== bCreated) return aCreated > bCreated;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '');
}

export async function admitDefaultStorageClass(state: RegistryState, claim: KubeObject): Promise<void> {
  const spec = (claim.spec ?? {}) as { storageClassName?: string | null };
  const hasClass =
    (spec.storageClassName !== undefined && spec.storageClassName !== null) ||
    claim.metadata.annotations?.[betaClassAnnotation] !== undefined;
  if (hasClass) return;
  const fallback = await defaultStorageClass(state);
  if (!fallback?.metadata.name) return;
  spec.storageClassName = fallback.metadata.name;
  claim.spec = spec;
}
