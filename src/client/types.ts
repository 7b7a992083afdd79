/**
 * The one client interface every API consumer (scheduler, controllers, simulated kubelets, conformance)
 * uses. Two implementations: local (calls the registry in-process) and HTTP (any API server).
 *
 * Namespace rule, the same for every verb:
 * - verbs addressed by name take it as the argument right after the name:
 *   `get(name, namespace)`, `delete(name, namespace)`, `patch(name, namespace, ...)`,
 *   `createSubresource(name, namespace, ...)`;
 * - collection verbs take it in their options: `list({ namespace })`, `watch({ namespace })`,
 *   `deleteCollection({ namespace })`; omitted means all namespaces;
 * - object verbs read it from the object: `create(obj)`, `update(obj)`, `updateStatus(obj)`.
 * Cluster-scoped resources pass `undefined`.
 *
 * Errors are always `StatusError` (src/status.ts) with the code and reason a real cluster sends.
 */
import type { DeleteOptions, KubeList, KubeObject, WatchEventType } from '../types/meta.ts';

/** Which resource a ResourceClient talks to; the type parameter only carries the object type. */
export interface ResourceRef<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Phantom field: never set, lets `resource(pods)` infer `T`. */
  readonly __type?: T;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Unset or '0': synthetic ADDED for every current object first; N: every change after N. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the stream cleanly after this long; the iteration then simply ends. */
  timeoutSeconds?: number;
  /** Aborting ends the iteration without an error. */
  signal: AbortSignal;
}

/**
 * A watch event as the client delivers it. An ERROR event from the server never reaches the caller:
 * the iteration throws its Status as a StatusError instead (410 Expired → re-list), the same way
 * client-go's reflector turns it into an error.
 */
export interface ClientWatchEvent<T extends KubeObject = KubeObject> {
  type: Exclude<WatchEventType, 'ERROR'>;
  object: T;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions {
  subresource?: string;
  /** Required for server-side apply. */
  fieldManager?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteCollectionOptions extends DeleteOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ResourceClient<T extends KubeObject = KubeObject> {
  get(name: string, namespace?: string): Promise<T>;
  /** `list.metadata.resourceVersion` is the revision the list was read at. */
  list(options?: ListOptions): Promise<KubeList<T>>;
  create(object: T): Promise<T>;
  /** 409 Conflict when `metadata.resourceVersion` is stale. */
  update(object: T): Promise<T>;
  updateStatus(object: T): Promise<T>;
  /** GET of a subresource served as its own kind, e.g. deployments/scale (an autoscaling/v1 Scale). */
  getSubresource(name: string, namespace: string | undefined, subresource: string): Promise<KubeObject>;
  /** PUT to another update subresource, e.g. namespaces/finalize or deployments/scale. */
  updateSubresource(object: KubeObject, subresource: string): Promise<KubeObject>;
  patch(
    name: string,
    namespace: string | undefined,
    type: PatchType,
    body: unknown,
    options?: PatchOptions,
  ): Promise<T>;
  delete(name: string, namespace?: string, options?: DeleteOptions): Promise<void>;
  deleteCollection(options?: DeleteCollectionOptions): Promise<void>;
  watch(options: WatchOptions): AsyncIterable<ClientWatchEvent<T>>;
  /** POST to a subresource whose body is another kind: pods/binding, pods/eviction. */
  createSubresource(name: string, namespace: string | undefined, subresource: string, body: unknown): Promise<unknown>;
}

/** A resource the server serves, as discovery describes it. */
export interface ServedResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: readonly string[];
}

export interface KubeClient {
  resource<T extends KubeObject>(ref: ResourceRef<T>): ResourceClient<T>;
  /**
   * Top-level resources (no subresources) the server serves, one entry per group/version.
   * `failedGroups` has one `group/version: error` entry per group/version whose discovery failed
   * (the namespace controller reports them).
   */
  serverResources(): Promise<{ resources: ServedResource[]; failedGroups: string[] }>;
}
