/**
 * Watch: the store's change stream turned into Kubernetes watch events — selectors applied per event
 * (with ADDED/DELETED when an object starts/stops matching), initial events for RV unset/'0' and for
 * streaming lists, bookmarks, and 410 as an ERROR event. Event objects are the shared frozen decodes,
 * so one change is one object for every watcher (the HTTP layer may cache its JSON per object).
 */
import { type FieldError, invalid, resourceVersionTooOld, type StatusError } from '../status.ts';
import { isStorageError, type KeyValue, type StoreEvent } from '../storage/types.ts';
import type { KubeObject, WatchEvent } from '../types/meta.ts';
import { storagePrefix } from './keys.ts';
import { compileFilter, type ObjectFilter } from './list.ts';
import { type RegistryState, viewOf } from './registry-state.ts';
import { parseResourceVersion } from './resource-version.ts';
import { interpretStorageError } from './storage-errors.ts';
import { groupVersion, type ResourceDef, type WatchOptions } from './types.ts';

export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';

/** apimachinery validateWatchOptions, on meta.k8s.io ListOptions. */
function validateWatchOptions(options: WatchOptions): void {
  const errors: FieldError[] = [];
  const match = options.resourceVersionMatch;
  if (options.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errors.push({
      type: 'FieldValueForbidden',
      field: 'resourceVersionMatch',
      detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    });
  }
  if (match && options.sendInitialEvents === undefined) {
    errors.push({
      type: 'FieldValueForbidden',
      field: 'resourceVersionMatch',
      detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    });
  }
  if (match && match !== 'NotOlderThan') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'resourceVersionMatch',
      value: match,
      supported: ['NotOlderThan'],
    });
  }
  if (errors.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errors);
}

/**
 * Validates synchronously (so the HTTP layer can answer 4xx before sending headers), then returns the
 * stream. Failures after that arrive as one ERROR event, as on real servers.
 */
export function watchObjects(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  options: WatchOptions,
): AsyncIterable<WatchEvent> {
  validateWatchOptions(options);
  const filter = compileFilter(def, options.labelSelector, options.fieldSelector);
  const requested = parseResourceVersion(options.resourceVersion);
  return stream(state, def, namespace, options, filter, requested);
}

function errorEvent(status: StatusError): WatchEvent {
  return { type: 'ERROR', object: status.status as unknown as KubeObject };
}

async function* stream(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  options: WatchOptions,
  filter: ObjectFilter,
  requested: number | undefined,
): AsyncGenerator<WatchEvent> {
  const signals = [options.signal];
  if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0)
    signals.push(AbortSignal.timeout(options.timeoutSeconds * 1000));
  const signal = AbortSignal.any(signals);
  const prefix = storagePrefix(def, namespace);
  const apiVersion = groupVersion(def);
  const bookmark = (revision: number, annotations?: Record<string, string>): WatchEvent => ({
    type: 'BOOKMARK',
    object: {
      kind: def.kind,
      apiVersion,
      metadata: annotations
        ? { resourceVersion: String(revision), annotations }
        : { resourceVersion: String(revision) },
    },
  });
  const wantsInitialEvents =
    options.sendInitialEvents ?? (requested === undefined && options.resourceVersionMatch === undefined);
  let from = requested ?? 0;
  try {
    if (wantsInitialEvents || requested === undefined) {
      // A snapshot and a watch from its revision: nothing falls between the two.
      const snapshot = await snapshotAtLeast(state, prefix, requested);
      from = snapshot.revision;
      if (wantsInitialEvents) {
        for (const kv of snapshot.kvs) {
          const object = viewOf(state, def, kv);
          if (filter.matches(object)) yield { type: 'ADDED', object };
        }
        if (options.sendInitialEvents && options.allowWatchBookmarks)
          yield bookmark(from, { [initialEventsEndAnnotation]: 'true' });
      }
    }
    let lastBookmark = Date.now();
    for await (const batch of state.store.watch(prefix, from, {
      signal,
      progressIntervalMs: state.bookmarkIntervalMs,
    })) {
      for (const event of batch.events) {
        const out = toWatchEvent(state, def, filter, event);
        if (out) yield out;
      }
      if (
        batch.events.length === 0 &&
        options.allowWatchBookmarks &&
        Date.now() - lastBookmark >= state.bookmarkIntervalMs
      ) {
        lastBookmark = Date.now();
        yield bookmark(batch.revision);
      }
    }
  } catch (err) {
    if (signal.aborted) return;
    if (isStorageError(err, 'TooOld')) {
      yield errorEvent(
        resourceVersionTooOld(requested ?? from, err.compactedRevision ?? (await state.store.compactedRevision())),
      );
      return;
    }
    yield errorEvent(interpretStorageError(err, { group: def.group, resource: def.plural }, ''));
  }
}

async function snapshotAtLeast(
  state: RegistryState,
  prefix: string,
  requested: number | undefined,
): Promise<{ revision: number; kvs: KeyValue[] }> {
  const kvs: KeyValue[] = [];
  let after: string | undefined;
  let revision: number | undefined;
  for (;;) {
    const page = await state.store.list(prefix, {
      ...(revision !== undefined ? { atRevision: revision } : {}),
      limit: 5000,
      ...(after ? { after } : {}),
    });
    revision = page.revision;
    kvs.push(...page.kvs);
    if (!page.more || page.kvs.length === 0) break;
    after = page.kvs[page.kvs.length - 1]?.key;
  }
  if (requested !== undefined && revision < requested) {
    // Watching from a future revision: nothing to replay yet; the watch delivers what comes after it.
    return { revision: requested, kvs };
  }
  return { revision, kvs };
}

/** One store event as this watcher sees it, or undefined when it is outside the selectors. */
function toWatchEvent(
  state: RegistryState,
  def: ResourceDef,
  filter: ObjectFilter,
  event: StoreEvent,
): WatchEvent | undefined {
  if (event.type === 'delete') {
    const object = viewOf(state, def, event.kv);
    return filter.matches(object) ? { type: 'DELETED', object } : undefined;
  }
  const object = viewOf(state, def, event.kv);
  const isMatch = filter.matches(object);
  if (filter.isEmpty) return { type: event.prev ? 'MODIFIED' : 'ADDED', object };
  const wasMatch = event.prev ? filter.matches(viewOf(state, def, event.prev)) : false;
  if (isMatch) return { type: wasMatch ? 'MODIFIED' : 'ADDED', object };
  if (!wasMatch || !event.prev) return undefined;
  // Stopped matching: the watcher sees the last state it matched, at this event's revision.
  const prevAtRevision: KeyValue = { ...event.prev, modRevision: event.kv.modRevision };
  return { type: 'DELETED', object: viewOf(state, def, prevAtRevision, 'prev') };
}
