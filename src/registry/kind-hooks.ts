/**
 * Per-kind steps that need registry state (allocators) or change how deletion proceeds — things a
 * Strategy's pure hooks cannot express. Keyed by storage group/resource.
 */
import type { KubeObject } from '../types/meta.ts';
import { admitDefaultStorageClass } from './admission/default-storage-class.ts';
import { admitClaimLimitRanges, admitPodLimitRanges } from './admission/limit-ranger.ts';
import { admitPodPriority } from './admission/priority.ts';
import { admitRuntimeClass } from './admission/runtime-class.ts';
import { admitServiceAccountToken } from './admission/service-account.ts';
import { storageGroupResource } from './keys.ts';
import type { RegistryState } from './registry-state.ts';
import { objectField } from './strategies/shared.ts';
import type { ResourceDef } from './types.ts';

export interface KindHooks {
  /** Admission on create: may read other objects, fill fields, or refuse (403). */
  admitCreate?(state: RegistryState, object: KubeObject): Promise<void>;
  /** Before the first write; may throw 422. Undone by `release` if the write fails or is a dry run. */
  allocate?(state: RegistryState, object: KubeObject, old?: KubeObject): void;
  /** Give back what `object` held and `keep` (its successor, on update) does not. */
  release?(state: RegistryState, object: KubeObject, keep?: KubeObject): void;
  /** Deletion waits for more than metadata.finalizers (namespaces: spec.finalizers). */
  isDeletionBlocked?(object: KubeObject): boolean;
  /** Called on the object when its deletionTimestamp is first set. */
  startDeletion?(object: KubeObject): void;
}

const serviceHooks: KindHooks = {
  allocate: (state, object, old) => state.services.allocate(object, old),
  release: (state, object, keep) => state.services.release(object, keep),
};

const namespaceHooks: KindHooks = {
  isDeletionBlocked(object) {
    const finalizers = (object.spec as { finalizers?: string[] } | undefined)?.finalizers;
    return (finalizers?.length ?? 0) > 0;
  },
  startDeletion(object) {
    objectField(object, 'status').phase = 'Terminating';
  },
};

const podHooks: KindHooks = {
  // kube-apiserver's order: LimitRanger, ServiceAccount, Priority, RuntimeClass.
  async admitCreate(state, object) {
    await admitPodLimitRanges(state, object);
    await admitServiceAccountToken(state, object);
    await admitPodPriority(state, object);
    await admitRuntimeClass(state, object);
  },
};

const claimHooks: KindHooks = {
  // kube-apiserver's order: LimitRanger, then DefaultStorageClass (ResourceQuota, which counts requests
  // per class, runs after both at persist time).
  async admitCreate(state, object) {
    await admitClaimLimitRanges(state, object);
    await admitDefaultStorageClass(state, object);
  },
};

const hooks: Readonly<Record<string, KindHooks>> = {
  '/pods': podHooks,
  '/services': serviceHooks,
  '/persistentvolumeclaims': claimHooks,
  '/namespaces': namespaceHooks,
};

export function hooksFor(def: ResourceDef): KindHooks {
  const gr = storageGroupResource(def);
  return hooks[`${gr.group}/${gr.resource}`] ?? {};
}
