/**
 * List: selectors, pagination with continue tokens, and resourceVersion semantics. Items come without
 * kind/apiVersion, as real servers send them; objects are the shared frozen decodes (do not mutate).
 */
import { type FieldSelector, type LabelSelector, parseFieldSelector, parseLabelSelector } from '../selectors/index.ts';
import { badRequest, expired, invalid, resourceVersionTooLarge } from '../status.ts';
import { isStorageError, type KeyValue } from '../storage/types.ts';
import type { KubeList, KubeObject } from '../types/meta.ts';
import { splicedItems, typePrefix } from './codec.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { isCustomResource } from './custom-resources.ts';
import { groupResourceOf, storageKey, storagePrefix } from './keys.ts';
import { type RegistryState, viewOf } from './registry-state.ts';
import { parseResourceVersion, waitForRevision } from './resource-version.ts';
import { interpretStorageError } from './storage-errors.ts';
import { type EncodedList, groupVersion, type ListOptions, type ResourceDef } from './types.ts';

export interface ObjectFilter {
  labels: LabelSelector;
  fields: FieldSelector;
  isEmpty: boolean;
  matches(object: Readonly<KubeObject>): boolean;
}

/** Parses both selectors once; unknown field selector labels are 400 as on real servers. */
export function compileFilter(
  def: ResourceDef,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): ObjectFilter {
  const labels = parseLabelSelector(labelSelector);
  const fields = parseFieldSelector(fieldSelector);
  const getters = def.fieldSelectors ?? {};
  for (const r of fields.requirements) {
    if (r.field !== 'metadata.name' && r.field !== 'metadata.namespace' && !getters[r.field]) {
      throw badRequest(`field label not supported: ${r.field}`);
    }
  }
  return {
    labels,
    fields,
    isEmpty: labels.isEmpty && fields.isEmpty,
    matches: (object) =>
      labels.matches(object.metadata.labels) &&
      fields.matches((field) => {
        if (field === 'metadata.name') return object.metadata.name;
        if (field === 'metadata.namespace') return object.metadata.namespace;
        return getters[field]?.(object as KubeObject);
      }),
  };
}

export function checkResourceVersionMatch(options: {
  resourceVersion?: string;
  resourceVersionMatch?: string;
  sendInitialEvents?: boolean;
}): void {
  if (options.resourceVersionMatch && !options.resourceVersion && options.sendInitialEvents === undefined) {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
      {
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided',
      },
    ]);
  }
  const match = options.resourceVersionMatch;
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
      {
        type: 'FieldValueNotSupported',
        field: 'resourceVersionMatch',
        value: match,
        supported: ['Exact', 'NotOlderThan'],
      },
    ]);
  }
}

interface Page {
  revision: number;
  kvs: KeyValue[];
  continue?: string;
  remaining?: number;
}

/** One page of matching pairs, read at one revision. */
async function readPage(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  options: ListOptions,
  accept?: (kv: KeyValue) => boolean,
): Promise<Page> {
  checkResourceVersionMatch(options);
  const prefix = storagePrefix(def, namespace);
  let atRevision: number | undefined;
  let after: string | undefined;
  let knownRemaining: number | undefined;
  if (options.continue) {
    const position = decodeContinue(options.continue);
    if (position.revision) knownRemaining = position.remaining;
    if (!position.after.startsWith(prefix))
      throw badRequest('continue key is not valid: the key is not in the requested range');
    atRevision = position.revision || undefined;
    after = position.after;
  } else if (options.resourceVersionMatch === 'Exact') {
    atRevision = parseResourceVersion(options.resourceVersion);
  } else if (options.resourceVersion && options.resourceVersion !== '0') {
    await waitForRevision(state, options.resourceVersion);
  }
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  const kvs: KeyValue[] = [];
  let revision = atRevision;
  try {
    for (;;) {
      // Without a filter the store pages for us; with one, read in chunks until the page is full.
      const chunk = accept ? Math.max(limit ?? 0, 1000) : limit ? limit - kvs.length : undefined;
      const result = await state.store.list(prefix, {
        ...(revision !== undefined ? { atRevision: revision } : {}),
        ...(chunk ? { limit: chunk } : {}),
        ...(after ? { after } : {}),
      });
      revision = result.revision;
      for (let i = 0; i < result.kvs.length; i++) {
        const kv = result.kvs[i] as KeyValue;
        after = kv.key;
        if (accept && !accept(kv)) continue;
        kvs.push(kv);
        if (limit && kvs.length === limit) {
          const more = i < result.kvs.length - 1 || result.more;
          const page: Page = { revision, kvs };
          if (!more) return page;
          // Filtered pages cannot know how many of the rest would match, so kube leaves the count out.
          if (!accept) {
            if (result.remaining !== undefined) page.remaining = result.remaining + (result.kvs.length - 1 - i);
            else if (knownRemaining !== undefined) page.remaining = knownRemaining - kvs.length;
            else page.remaining = (await state.store.list(prefix, { atRevision: revision, after })).kvs.length;
          }
          page.continue = encodeContinue({
            revision,
            after,
            ...(page.remaining !== undefined ? { remaining: page.remaining } : {}),
          });
          return page;
        }
      }
      if (!result.more) return { revision, kvs };
    }
  } catch (err) {
    throw listStorageError(err, def, options, after);
  }
}

function listStorageError(err: unknown, def: ResourceDef, options: ListOptions, after: string | undefined): Error {
  if (isStorageError(err, 'TooOld') && options.continue) {
    return expired(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      encodeContinue({ revision: 0, after: after ?? '' }),
    );
  }
  if (isStorageError(err, 'FutureRevision')) return resourceVersionTooLarge(Number(options.resourceVersion), 0);
  return interpretStorageError(err, groupResourceOf(def), '');
}

function withoutTypeMeta(object: Readonly<KubeObject>): KubeObject {
  const { kind: _k, apiVersion: _a, ...rest } = object;
  return rest as KubeObject;
}

function listMetadata(page: Page): KubeList['metadata'] {
  const metadata: KubeList['metadata'] = { resourceVersion: String(page.revision) };
  if (page.continue) metadata.continue = page.continue;
  if (page.remaining !== undefined) metadata.remainingItemCount = page.remaining;
  return metadata;
}

export async function listObjects(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  options: ListOptions,
): Promise<KubeList> {
  const filter = compileFilter(def, options.labelSelector, options.fieldSelector);
  const name = filter.fields.exactValue('metadata.name');
  let page: Page;
  if (name !== undefined && (namespace || !def.namespaced) && !options.continue) {
    // `metadata.name=x` (kubectl wait, delete --wait) is one key, not a scan.
    checkResourceVersionMatch(options);
    const atRevision =
      options.resourceVersionMatch === 'Exact' ? parseResourceVersion(options.resourceVersion) : undefined;
    const result = await state.store.get(storageKey(def, namespace, name), atRevision).catch((e: unknown) => {
      throw listStorageError(e, def, options, undefined);
    });
    page = {
      revision: result.revision,
      kvs: result.kv && filter.matches(viewOf(state, def, result.kv)) ? [result.kv] : [],
    };
  } else {
    page = await readPage(
      state,
      def,
      namespace,
      options,
      filter.isEmpty ? undefined : (kv) => filter.matches(viewOf(state, def, kv)),
    );
  }
  return {
    kind: `${def.kind}List`,
    apiVersion: groupVersion(def),
    metadata: listMetadata(page),
    // Real servers leave kind/apiVersion out of built-in items but keep them for custom resources.
    items: page.kvs.map((kv) =>
      isCustomResource(def) ? (viewOf(state, def, kv) as KubeObject) : withoutTypeMeta(viewOf(state, def, kv)),
    ),
  };
}

/** The no-selector JSON fast path: stored bytes with resourceVersion spliced in, never parsed. */
export async function listEncoded(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  options: ListOptions,
): Promise<EncodedList | undefined> {
  if (def.storage?.fromStorage || options.labelSelector || options.fieldSelector) return undefined;
  const page = await readPage(state, def, namespace, options);
  const items = splicedItems(page.kvs, typePrefix(def.kind, groupVersion(def)), !isCustomResource(def));
  return items ? { metadata: listMetadata(page), count: page.kvs.length, items } : undefined;
}
