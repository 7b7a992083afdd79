/**
 * The REST operations of served resources, neutral of the OpenAPI version: one entry per path and
 * method, named as kube-apiserver names them (`patchCoreV1NamespacedPod`,
 * `listAppsV1DeploymentForAllNamespaces`), with the action and kind kubectl matches on. Every write
 * lists dryRun, fieldManager and fieldValidation (PATCH also force): kubectl uses server-side field
 * validation only for kinds whose PATCH operation has a parameter named fieldValidation.
 */
import { allVerbs, type ResourceDef, type SubresourceDef, type Verb } from '../registry/types.ts';
import type { GroupVersionKind } from './schema.ts';

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface QueryParameter {
  name: string;
  type: 'string' | 'boolean' | 'integer';
  description: string;
}

export interface Operation {
  path: string;
  method: Method;
  operationId: string;
  /** x-kubernetes-action. */
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
  gvk: GroupVersionKind;
  description: string;
  pathParameters: readonly string[];
  query: readonly QueryParameter[];
  /** Request body kind; PATCH bodies are meta/v1 Patch in every content type. */
  body?: 'object' | 'patch' | 'deleteOptions';
  /** The response is the kind itself, its list, or a Status. */
  response: 'object' | 'list' | 'status';
  /** The group version the paths live under (for a subresource of another group, the parent's). */
  tag: string;
}

const query = (name: string, type: QueryParameter['type'], description: string): QueryParameter => ({
  name,
  type,
  description,
});

// Descriptions are ours; names and types are the apiserver's query parameters.
const pretty = query('pretty', 'string', "If 'true', then the output is pretty printed.");
const dryRun = query('dryRun', 'string', 'When present, modifications are not persisted. Valid values: All.');
const fieldManager = query('fieldManager', 'string', 'The name of the actor making the change, for field ownership.');
const fieldValidation = query(
  'fieldValidation',
  'string',
  'How the server treats unknown and duplicate fields: Ignore, Warn (the default) or Strict.',
);
const force = query('force', 'boolean', 'Server-side apply: take ownership of fields other managers own.');
const gracePeriodSeconds = query('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted.');
const propagationPolicy = query('propagationPolicy', 'string', 'Orphan, Background or Foreground.');
const listQuery = [
  query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events in a watch.'),
  query('continue', 'string', 'The continue token of the previous page.'),
  query('fieldSelector', 'string', 'Restrict the list by fields.'),
  query('labelSelector', 'string', 'Restrict the list by labels.'),
  query('limit', 'integer', 'The most items to return in one page.'),
  query('resourceVersion', 'string', 'Which version of the list to read.'),
  query('resourceVersionMatch', 'string', 'How resourceVersion is compared: Exact or NotOlderThan.'),
  query('sendInitialEvents', 'boolean', 'Start a watch with the current objects.'),
  query('timeoutSeconds', 'integer', 'End the call after this many seconds.'),
  query('watch', 'boolean', 'Watch for changes instead of listing.'),
];
const writeQuery = [dryRun, fieldManager, fieldValidation];

/** `Core`, `Apps`, `RbacAuthorization`, `Networking` … as in upstream operation ids. */
export function groupIdentifier(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((label) => label.charAt(0).toUpperCase() + label.slice(1))
    .join('');
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Subresources served with bodies of a kind (not streams or proxies). */
const streamingSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

interface Scope {
  def: ResourceDef;
  prefix: string;
  namespaced: boolean;
  /** `CoreV1`, `AppsV1`. */
  ident: string;
  id: (verb: string, suffix?: string) => string;
  tag: string;
}

function scopeOf(def: ResourceDef): Scope {
  const groupVersion = def.group ? `${def.group}/${def.version}` : def.version;
  const prefix = def.group ? `/apis/${groupVersion}` : `/api/${def.version}`;
  const ident = `${groupIdentifier(def.group)}${capitalize(def.version)}`;
  return {
    def,
    prefix,
    namespaced: def.namespaced,
    ident,
    id: (verb, suffix = '') => `${verb}${ident}${def.namespaced ? 'Namespaced' : ''}${def.kind}${suffix}`,
    tag: `${groupIdentifier(def.group).toLowerCase()}_${def.version}`,
  };
}

function collectionOperations(s: Scope, gvk: GroupVersionKind, verbs: ReadonlySet<Verb>): Operation[] {
  const { def } = s;
  const base = s.namespaced ? `${s.prefix}/namespaces/{namespace}/${def.plural}` : `${s.prefix}/${def.plural}`;
  const pathParameters = s.namespaced ? ['namespace'] : [];
  const common = { gvk, pathParameters, tag: s.tag };
  const ops: Operation[] = [];
  if (verbs.has('list')) {
    ops.push({
      ...common,
      path: base,
      method: 'get',
      operationId: s.id('list'),
      action: 'list',
      description: `list or watch objects of kind ${def.kind}`,
      query: [pretty, ...listQuery],
      response: 'list',
    });
    if (s.namespaced) {
      ops.push({
        ...common,
        path: `${s.prefix}/${def.plural}`,
        pathParameters: [],
        method: 'get',
        operationId: `list${s.ident}${def.kind}ForAllNamespaces`,
        action: 'list',
        description: `list or watch objects of kind ${def.kind}`,
        query: [pretty, ...listQuery],
        response: 'list',
      });
    }
  }
  if (verbs.has('create')) {
    ops.push({
      ...common,
      path: base,
      method: 'post',
      operationId: s.id('create'),
      action: 'post',
      description: `create a ${def.kind}`,
      query: [pretty, ...writeQuery],
      body: 'object',
      response: 'object',
    });
  }
  if (verbs.has('deletecollection')) {
    ops.push({
      ...common,
      path: base,
      method: 'delete',
      operationId: s.id('deleteCollection'),
      action: 'deletecollection',
      description: `delete collection of ${def.kind}`,
      query: [pretty, dryRun, gracePeriodSeconds, propagationPolicy, ...listQuery],
      body: 'deleteOptions',
      response: 'status',
    });
  }
  return ops;
}

function itemOperations(s: Scope, gvk: GroupVersionKind, verbs: ReadonlySet<Verb>, sub?: SubresourceDef): Operation[] {
  const { def } = s;
  const base = s.namespaced
    ? `${s.prefix}/namespaces/{namespace}/${def.plural}/{name}`
    : `${s.prefix}/${def.plural}/{name}`;
  const path = sub ? `${base}/${sub.name}` : base;
  const suffix = sub ? capitalize(sub.name) : '';
  const what = sub ? `${sub.name} of the specified ${def.kind}` : `the specified ${def.kind}`;
  const common = { path, gvk, pathParameters: s.namespaced ? ['name', 'namespace'] : ['name'], tag: s.tag };
  const ops: Operation[] = [];
  if (verbs.has('get'))
    ops.push({
      ...common,
      method: 'get',
      operationId: s.id('read', suffix),
      action: 'get',
      description: `read ${what}`,
      query: [pretty],
      response: 'object',
    });
  if (verbs.has('update'))
    ops.push({
      ...common,
      method: 'put',
      operationId: s.id('replace', suffix),
      action: 'put',
      description: `replace ${what}`,
      query: [pretty, ...writeQuery],
      body: 'object',
      response: 'object',
    });
  if (verbs.has('patch'))
    ops.push({
      ...common,
      method: 'patch',
      operationId: s.id('patch', suffix),
      action: 'patch',
      description: `partially update ${what}`,
      query: [pretty, ...writeQuery, force],
      body: 'patch',
      response: 'object',
    });
  if (verbs.has('create') && sub)
    ops.push({
      ...common,
      method: 'post',
      operationId: s.id('create', suffix),
      action: 'post',
      description: `create ${what}`,
      query: [pretty, ...writeQuery],
      body: 'object',
      response: 'object',
    });
  if (verbs.has('delete') && !sub)
    ops.push({
      ...common,
      method: 'delete',
      operationId: s.id('delete'),
      action: 'delete',
      description: `delete ${what}`,
      query: [pretty, dryRun, gracePeriodSeconds, propagationPolicy],
      body: 'deleteOptions',
      response: 'status',
    });
  return ops;
}

/** Every operation of one resource, its subresources included. */
export function resourceOperations(def: ResourceDef): Operation[] {
  const s = scopeOf(def);
  const verbs = new Set(def.verbs ?? allVerbs);
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const ops = [...collectionOperations(s, gvk, verbs), ...itemOperations(s, gvk, verbs)];
  for (const sub of def.subresources ?? []) {
    if (streamingSubresources.has(sub.name)) continue;
    const subVerbs = new Set(sub.verbs as readonly Verb[]);
    const subGvk = { group: sub.group ?? def.group, version: sub.version ?? def.version, kind: sub.kind };
    ops.push(...itemOperations(s, subGvk, subVerbs, sub));
  }
  return ops;
}
