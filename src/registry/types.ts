/**
 * The shape of a resource definition. One `ResourceDef` per served resource, declared once as data in
 * resources.ts; routes, discovery, printing, storage keys and field selectors all derive from it.
 */
import type { FieldError } from '../status.ts';
import type { KubeObject, UserInfo } from '../types/meta.ts';
import type { SplicedItems } from './codec.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const allVerbs: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export interface SubresourceDef {
  /** e.g. 'status', 'scale', 'binding', 'eviction', 'log', 'token', 'finalize'. */
  name: string;
  /** Kind of the request/response body, with its group/version when it differs from the parent's. */
  kind: string;
  group?: string;
  version?: string;
  verbs: readonly string[];
}

/** One column of a Table response (meta.k8s.io/v1 TableColumnDefinition). */
export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0: always shown; 1: only with -o wide. */
  priority: number;
}

export type Cell = string | number | boolean | null;

/** Server-side printing for one kind: the columns kubectl shows against a real cluster. */
export interface Printer {
  columns: readonly ColumnDefinition[];
  /** Cells in column order. `now` (ms since epoch) makes ages deterministic in tests. */
  row(object: KubeObject, now: number): Cell[];
}

export interface RequestContext {
  user: UserInfo;
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Texts for `Warning: 299 - "..."` headers; handlers push, the HTTP layer writes. */
  warnings?: string[];
  userAgent?: string;
  /**
   * Written by the server itself (seeding): the objects are ours, so the wire-decoding checks, whose first use
   * compiles schemas for a second or so, are skipped and start-up stays fast.
   */
  trusted?: boolean;
}

export type StatusResetMetadataField = 'labels' | 'annotations' | 'finalizers' | 'ownerReferences';

/**
 * What is specific to one kind. The generic registry does everything that is the same for all kinds;
 * a strategy adds only small hooks (each optional).
 */
export interface Strategy {
  /** Name rule for metadata.name. Default 'subdomain' (DNS-1123 subdomain). */
  nameValidation?: 'subdomain' | 'label' | 'dns1035' | 'path';
  /** True for kinds with spec/status where generation tracks spec changes. */
  tracksGeneration?: boolean;
  /** PUT of a missing object creates it (e.g. leases? no; kept for CR-like kinds). */
  allowCreateOnUpdate?: boolean;
  /** DELETE answers with the object instead of a Status (pods, serviceaccounts, pvs, pvcs). */
  deleteReturnsObject?: boolean;
  /**
   * Create keeps the body's status even though the kind has a status subresource (nodes: the kubelet
   * registers with capacity and conditions). Default: status is reset on create.
   */
  keepsStatusOnCreate?: boolean;
  /**
   * Metadata a /status write may not change: for these fields the stored values win. Default: none, as
   * most kube status strategies reset only spec, so labels and annotations sent to /status persist.
   * 'all' where kube's status strategy copies the whole stored ObjectMeta (custom resources, flowcontrol,
   * validating admission policies, volume attachments); deployments keep ['labels'], pods ['ownerReferences'].
   */
  statusResetsMetadata?: 'all' | readonly StatusResetMetadataField[];
  /** Extra rules for a /status (or /approval) write, after spec came back from the stored object. */
  prepareForStatusUpdate?(object: KubeObject, old: KubeObject, context: RequestContext, subresource: string): void;
  /** Validation of a /status write (custom resources: the whole object against its schema). */
  validateStatusUpdate?(object: KubeObject, old: KubeObject, subresource: string): FieldError[];
  /** Fill default values (until the OpenAPI catalog's defaulting takes over). */
  defaults?(object: KubeObject): void;
  prepareForCreate?(object: KubeObject, context: RequestContext): void;
  prepareForUpdate?(object: KubeObject, old: KubeObject, context: RequestContext): void;
  /** `old` is the stored object on updates (custom resources ratchet errors of unchanged values). */
  validate?(object: KubeObject, old?: KubeObject): FieldError[];
  validateUpdate?(object: KubeObject, old: KubeObject): FieldError[];
  /**
   * Grace period in seconds for a graceful delete, or undefined for immediate deletion.
   * Pods: DeleteOptions.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30.
   */
  gracePeriodSeconds?(object: KubeObject, requested: number | undefined): number | undefined;
}

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural, the URL segment: 'deployments'. */
  plural: string;
  /** Lower-case singular: 'deployment'. */
  singular: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  categories?: readonly string[];
  /** Default: allVerbs. */
  verbs?: readonly Verb[];
  subresources?: readonly SubresourceDef[];
  strategy: Strategy;
  printer?: Printer;
  /**
   * Field selectors beyond metadata.name and metadata.namespace, e.g. pods' 'spec.nodeName'.
   * Each returns the field's value as the selector compares it (a string).
   */
  fieldSelectors?: Readonly<Record<string, (object: KubeObject) => string>>;
  /**
   * Where the scale subresource reads and writes replicas when they are not spec.replicas and
   * status.replicas (custom resources: the CRD's subresources.scale paths).
   */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /**
   * Storage is shared by (group, resource) across versions: several defs may name the same
   * storageResource (autoscaling/v1 and v2 HPAs; core/v1 and events.k8s.io/v1 events) and convert
   * with `toStorage`/`fromStorage`. Default: this def's own group/plural, no conversion.
   */
  storage?: {
    group: string;
    resource: string;
    toStorage?(object: KubeObject): KubeObject;
    fromStorage?(object: KubeObject): KubeObject;
  };
}

/** `apps/v1` or `v1` for the core group. */
export function groupVersion(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

// ---------------------------------------------------------------------------------------------
// The Registry: everything below HTTP. The API layer and the local client call it; it calls the Store.
// ---------------------------------------------------------------------------------------------

import type { DeleteOptions, KubeList, WatchEvent } from '../types/meta.ts';

export interface GetOptions {
  /** '' or undefined: latest; '0': any (cache); N: not older than N. */
  resourceVersion?: string;
  /** For subresources served through get/update/patch: 'status', 'scale', ... */
  subresource?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** Ends the stream cleanly after this long. */
  timeoutSeconds?: number;
  signal: AbortSignal;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WriteOptions {
  subresource?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface WriteResult {
  object: KubeObject;
  /** True when the write created the object (HTTP 201). */
  created: boolean;
}

export interface DeleteResult {
  /** The object as deleted, or as it now is while deletion is pending. */
  object: KubeObject;
  /** True when the object is still there (finalizers or graceful pod deletion). */
  pending: boolean;
}

/** The served resources; mutable because CRDs add and remove entries at run time. */
export interface ResourceTable {
  all(): readonly ResourceDef[];
  lookup(group: string, version: string, plural: string): ResourceDef | undefined;
  byKind(group: string, version: string, kind: string): ResourceDef | undefined;
  /** Called after every change (discovery and OpenAPI rebuild their documents). */
  onChange(listener: () => void): () => void;
}

/**
 * A list in its wire form, never parsed: `items` is the comma-separated JSON of `count` objects (what goes
 * between `"items":[` and `]`), its length known up front and its bytes produced in chunks on demand.
 */
export interface EncodedList {
  metadata: KubeList['metadata'];
  count: number;
  items: SplicedItems;
}

export interface Registry {
  readonly resources: ResourceTable;
  get(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    options: GetOptions,
    context: RequestContext,
  ): Promise<unknown>;
  list(
    def: ResourceDef,
    namespace: string | undefined,
    options: ListOptions,
    context: RequestContext,
  ): Promise<KubeList>;
  watch(
    def: ResourceDef,
    namespace: string | undefined,
    options: WatchOptions,
    context: RequestContext,
  ): AsyncIterable<WatchEvent>;
  create(def: ResourceDef, namespace: string | undefined, body: unknown, context: RequestContext): Promise<WriteResult>;
  update(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: unknown,
    context: RequestContext,
    options?: WriteOptions,
  ): Promise<WriteResult>;
  patch(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    context: RequestContext,
    options?: WriteOptions,
  ): Promise<WriteResult>;
  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
    context: RequestContext,
  ): Promise<DeleteResult>;
  deleteCollection(
    def: ResourceDef,
    namespace: string | undefined,
    listOptions: ListOptions,
    deleteOptions: DeleteOptions,
    context: RequestContext,
  ): Promise<KubeList>;
  /**
   * POST to a subresource whose body is another kind: pods/binding, pods/eviction,
   * serviceaccounts/token. Returns the response body and its HTTP code (201 usually).
   */
  /**
   * Fast paths for plain JSON responses: the stored bytes with resourceVersion spliced in, never parsed.
   * They return undefined when the fast path does not apply (selectors that need the object, conversion
   * between versions, subresources); callers then use get/list.
   */
  getEncoded?(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    options: GetOptions,
    context: RequestContext,
  ): Promise<Uint8Array | undefined>;
  listEncoded?(
    def: ResourceDef,
    namespace: string | undefined,
    options: ListOptions,
    context: RequestContext,
  ): Promise<EncodedList | undefined>;
  createSubresource(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: unknown,
    context: RequestContext,
  ): Promise<{ object: unknown; code: number }>;
}
