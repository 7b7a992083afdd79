/**
 * What the customresourcecleanup finalizer does once a CRD is being deleted (apiextensions'
 * finalizer controller): mark the CRD Terminating, delete every custom resource through the normal
 * delete path — so those with finalizers of their own only get a deletionTimestamp and stay until
 * their controllers let go — and remove the finalizer once none is left, which lets the CRD go.
 * Until then the CRD stays Terminating and new objects are refused (custom-resource-strategy.ts).
 */
import type { KubeObject } from '../../types/meta.ts';
import { deleteObject } from '../delete.ts';
import type { RegistryState } from '../registry-state.ts';
import type { RequestContext, ResourceDef } from '../types.ts';
import { writeUpdate } from '../update.ts';
import { terminatingStatus } from './crd-status.ts';
import { cleanupFinalizer } from './crd-types.ts';
import { crdSpecOf } from './defs-for-crd.ts';

const apiserver: RequestContext = { user: { username: 'system:apiserver', groups: ['system:masters'] } };

/** A CRD whose deletion waits on the cleanup finalizer. */
export function isAwaitingCleanup(crd: Readonly<KubeObject>): boolean {
  return !!crd.metadata.deletionTimestamp && (crd.metadata.finalizers ?? []).includes(cleanupFinalizer);
}

/** The storage prefix of a CRD's objects, shared by all its versions. */
export const instancesPrefix = (group: string, plural: string) => `/registry/${group}/${plural}/`;

export interface CleanupProgress {
  /** Objects still stored (each with a deletionTimestamp, held by its own finalizers). */
  remaining: number;
  /** The revision the remaining objects were counted at: watch from here for their deletion. */
  revision: number;
}

/**
 * One pass of the cleanup. `def` serves the CRD's objects (any served version); without one the
 * objects are removed from the store directly, as there is no API left to honour their finalizers.
 */
export async function cleanUpInstances(
  state: RegistryState,
  crdDef: ResourceDef,
  crd: KubeObject,
  def: ResourceDef | undefined,
): Promise<CleanupProgress> {
  const name = crd.metadata.name ?? '';
  const spec = crdSpecOf(crd);
  await writeUpdate(
    state,
    crdDef,
    undefined,
    name,
    { scope: 'status', next: ({ object }) => ({ ...object, status: terminatingStatus(object, state.clock()) }) },
    apiserver,
  );
  if (spec) {
    const prefix = instancesPrefix(spec.group, spec.names.plural);
    const { kvs } = await state.store.list(prefix);
    for (const kv of kvs) {
      const object = state.decoder.decode(kv);
      if (object.metadata.deletionTimestamp) continue;
      if (!def) {
        await state.store.delete(kv.key, kv.modRevision).catch(() => undefined);
        continue;
      }
      await deleteObject(state, def, object.metadata.namespace, object.metadata.name ?? '', {}, apiserver).catch(
        () => undefined, // gone or changed meanwhile: the count below says what is left
      );
    }
    const left = await state.store.list(prefix);
    if (left.kvs.length) return { remaining: left.kvs.length, revision: left.revision };
  }
  await writeUpdate(
    state,
    crdDef,
    undefined,
    name,
    {
      scope: 'main',
      next: ({ object }) => {
        object.metadata.finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== cleanupFinalizer);
        return object;
      },
    },
    apiserver,
  );
  return { remaining: 0, revision: 0 };
}
