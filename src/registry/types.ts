/**
 * The shape of a resource definition. One `ResourceDef` per served resource, declared once as data in
 * resources.ts; routes, discovery, printing, storage keys and field selectors all derive from it.
 */
import type { FieldError } from '../status.ts';
import type { KubeObject, UserInfo } from '../types/meta.ts';

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
}

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
  /** Fill default values (until the OpenAPI catalog's defaulting takes over). */
  defaults?(object: KubeObject): void;
  prepareForCreate?(object: KubeObject, context: RequestContext): void;
  prepareForUpdate?(object: KubeObject, old: KubeObject, context: RequestContext): void;
  validate?(object: KubeObject): FieldError[];
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
