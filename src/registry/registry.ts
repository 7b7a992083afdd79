/**
 * createRegistry: the Registry the API layer and the local client call. This file only wires verbs to
 * their files (create.ts, update.ts, ...) and routes subresources; the semantics live there.
 */
import { methodNotAllowed, notFound } from '../status.ts';
import type { Store } from '../storage/types.ts';
import type { KubeObject } from '../types/meta.ts';
import { createServiceAllocators } from './allocators/service-allocators.ts';
import { createDecoder } from './codec.ts';
import { createObject } from './create.ts';
import { followCustomResourceDefinitions, syncCustomResources } from './custom-resources.ts';
import { deleteObject } from './delete.ts';
import { deleteCollection } from './delete-collection.ts';
import { getEncoded, getObject } from './get.ts';
import { storagePrefix } from './keys.ts';
import { listEncoded, listObjects } from './list.ts';
import { patchObject } from './patch.ts';
import { defaultUID, type RegistryState, type ServiceAccountTokenIssuer } from './registry-state.ts';
import { createResourceTable, type MutableResourceTable } from './resource-table.ts';
import { builtinResources } from './resources.ts';
import { type APIServerAddress, seedCluster } from './seed.ts';
import { bindPod } from './subresources/binding.ts';
import { evictPod } from './subresources/eviction.ts';
import { answerReview, isReviewResource, type TokenAuthenticator } from './subresources/reviews.ts';
import { getScale, patchScale, updateScale } from './subresources/scale.ts';
import { requestToken } from './subresources/token.ts';
import type { Registry, RequestContext, ResourceDef, Verb } from './types.ts';
import { updateObject } from './update.ts';
import { watchObjects } from './watch.ts';
import { objectFromBody } from './write-checks.ts';

export interface RegistryOptions {
  store: Store;
  /** Milliseconds since the epoch; injected so tests control timestamps. */
  clock?: () => number;
  /** Randomness for generated names and allocators; injected for deterministic tests. */
  random?: () => number;
  newUID?: () => string;
  issueServiceAccountToken?: ServiceAccountTokenIssuer;
  /** Resolves a bearer token for TokenReview. */
  authenticateToken?: TokenAuthenticator;
  /** Where the `kubernetes` Service's endpoints point. Default 127.0.0.1:6443. */
  apiserver?: Partial<APIServerAddress>;
  /** Minimum time between watch BOOKMARK events. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** How long reads of a future resourceVersion wait before 504. Default 3000 ms, as the watch cache. */
  futureRevisionWaitMs?: number;
  /** Skip seeding (tests that want an empty store). */
  seed?: boolean;
}

export interface WharfRegistry extends Registry {
  readonly resources: MutableResourceTable;
}

function requireVerb(def: ResourceDef, verb: Verb): void {
  if (
    !(def.verbs ?? ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']).includes(verb)
  )
    throw methodNotAllowed();
}

function requireSubresource(def: ResourceDef, subresource: string | undefined): void {
  if (subresource && !def.subresources?.some((s) => s.name === subresource)) {
    throw notFound({ group: def.group, resource: `${def.plural}/${subresource}` }, '');
  }
}

export async function createRegistry(options: RegistryOptions): Promise<WharfRegistry> {
  const random = options.random ?? Math.random;
  const state: RegistryState = {
    store: options.store,
    clock: options.clock ?? Date.now,
    random,
    newUID: options.newUID ?? defaultUID,
    table: createResourceTable(builtinResources),
    decoder: createDecoder(),
    services: createServiceAllocators(random),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    futureRevisionWaitMs: options.futureRevisionWaitMs ?? 3000,
  };
  if (options.issueServiceAccountToken) state.issueServiceAccountToken = options.issueServiceAccountToken;
  await restoreAllocations(state);
  if (options.seed !== false)
    await seedCluster(state, { host: options.apiserver?.host ?? '127.0.0.1', port: options.apiserver?.port ?? 6443 });
  // Other API servers sharing the store may change CRDs too: the table follows them from here on.
  followCustomResourceDefinitions(
    state,
    await syncCustomResources(state, { finishDeletions: true }),
    new AbortController().signal,
  );

  /** CRD writes change what is served; the table follows before the write is acknowledged. */
  async function afterWrite<T>(def: ResourceDef, context: RequestContext, result: T): Promise<T> {
    if (def.group === 'apiextensions.k8s.io' && def.plural === 'customresourcedefinitions' && !context.dryRun) {
      await syncCustomResources(state, { finishDeletions: true });
    }
    return result;
  }

  return {
    resources: state.table,
    async get(def, namespace, name, getOptions) {
      requireVerb(def, 'get');
      requireSubresource(def, getOptions.subresource);
      if (getOptions.subresource === 'scale') return getScale(state, def, namespace, name);
      return getObject(state, def, namespace, name, getOptions);
    },
    getEncoded: (def, namespace, name, getOptions) => getEncoded(state, def, namespace, name, getOptions),
    async list(def, namespace, listOptions) {
      requireVerb(def, 'list');
      return listObjects(state, def, namespace, listOptions);
    },
    listEncoded: (def, namespace, listOptions) => listEncoded(state, def, namespace, listOptions),
    watch(def, namespace, watchOptions) {
      requireVerb(def, 'watch');
      return watchObjects(state, def, namespace, watchOptions);
    },
    async create(def, namespace, body, context) {
      requireVerb(def, 'create');
      if (isReviewResource(def.group, def.plural)) {
        const object = await answerReview(
          def.group,
          def.plural,
          objectFromBody(def, body),
          context,
          options.authenticateToken,
        );
        return { object, created: true };
      }
      return afterWrite(def, context, await createObject(state, def, namespace, body, context));
    },
    async update(def, namespace, name, body, context, writeOptions) {
      requireVerb(def, 'update');
      requireSubresource(def, writeOptions?.subresource);
      if (writeOptions?.subresource === 'scale') return updateScale(state, def, namespace, name, body, context);
      return afterWrite(
        def,
        context,
        await updateObject(state, def, namespace, name, body, context, writeOptions?.subresource),
      );
    },
    async patch(def, namespace, name, type, patch, context, writeOptions) {
      requireVerb(def, 'patch');
      requireSubresource(def, writeOptions?.subresource);
      if (writeOptions?.subresource === 'scale') return patchScale(state, def, namespace, name, type, patch, context);
      return afterWrite(
        def,
        context,
        await patchObject(
          state,
          def,
          namespace,
          name,
          type,
          patch,
          context,
          writeOptions?.subresource,
          writeOptions?.force,
        ),
      );
    },
    async delete(def, namespace, name, deleteOptions, context) {
      requireVerb(def, 'delete');
      return afterWrite(def, context, await deleteObject(state, def, namespace, name, { ...deleteOptions }, context));
    },
    async deleteCollection(def, namespace, listOptions, deleteOptions, context) {
      requireVerb(def, 'deletecollection');
      return afterWrite(
        def,
        context,
        await deleteCollection(state, def, namespace, listOptions, deleteOptions, context),
      );
    },
    async createSubresource(def, namespace, name, subresource, body, context) {
      requireSubresource(def, subresource);
      const handler = subresourceHandlers[`${def.group}/${def.plural}/${subresource}`];
      if (!handler) throw methodNotAllowed();
      return handler(state, def, namespace, name, body, context);
    },
  };
}

const subresourceHandlers: Readonly<Record<string, typeof bindPod>> = {
  '/pods/binding': bindPod,
  '/pods/eviction': evictPod,
  '/serviceaccounts/token': (state, def, namespace, name, body) => requestToken(state, def, namespace, name, body),
};

/** Services already stored hold their IPs and ports: mark them taken before anything allocates. */
async function restoreAllocations(state: RegistryState): Promise<void> {
  const def = state.table.lookup('', 'v1', 'services') as ResourceDef;
  let after: string | undefined;
  for (;;) {
    const page = await state.store.list(storagePrefix(def), { limit: 1000, ...(after ? { after } : {}) });
    for (const kv of page.kvs) state.services.restore(state.decoder.decode(kv) as KubeObject);
    if (!page.more || page.kvs.length === 0) return;
    after = page.kvs[page.kvs.length - 1]?.key;
  }
}
