/**
 * metadata.managedFields: which manager owns which fields, kept on every write as kube-apiserver's
 * field manager does (structured-merge-diff Updater.Update and Updater.Apply).
 *
 * - Update (create, PUT, JSON/merge/strategic patch): the fields the write changed move to its
 *   manager (taken from any other owner); removed fields leave every manager.
 * - Apply: the applier owns exactly the fields of its configuration. Changing a field another
 *   manager owns is a conflict unless forced (then ownership moves); fields the applier applied
 *   before but no longer applies are removed from the object when nobody else owns them.
 * Entries are one per (manager, operation, subresource, apiVersion for updates), `time` in whole
 * seconds and only moved when the object changed, so a no-op write stays a no-op.
 */
import { type ApplyConflict, applyConflict } from '../../status.ts';
import type { KubeObject, ManagedFieldsEntry } from '../../types/meta.ts';
import type { PatchSchema } from '../patch/patch-schema.ts';
import { compareObjects, fieldSetMatches, fieldSetOf, hasChanges } from './field-paths.ts';
import { FieldSet, formatPath } from './field-set.ts';
import { mergeConfiguration, removeFields } from './structured-merge.ts';

export interface FieldManagerRequest {
  manager: string;
  /** The version the request speaks (`apps/v1`). */
  apiVersion: string;
  /** 'status' for /status writes: only status is theirs, and the request's managedFields are ignored. */
  subresource?: string;
  schema: PatchSchema;
  /** RFC 3339, whole seconds. */
  now: string;
  /** Main-resource writes of kinds with a status subresource do not touch status (ResetFields). */
  resetsStatus: boolean;
}

interface Managed {
  entry: ManagedFieldsEntry;
  set: FieldSet;
  /** The entry's fieldsV1 when it is exactly what `set` encodes to (the set as decoded, canonical). */
  fieldsV1?: ManagedFieldsEntry['fieldsV1'];
  decoded?: FieldSet;
}

// apiserver fieldmanager stripMeta: fields every write carries that nobody owns.
const systemMetadata: ReadonlySet<string> = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
]);

/**
 * The part of an object field ownership is about. Built key by key (not copied and then pruned
 * with `delete`, which leaves V8 a slow dictionary object for every walk after); key order kept.
 */
function owned(object: unknown, request: FieldManagerRequest): Record<string, unknown> {
  const source = (object ?? {}) as Record<string, unknown>;
  if (request.subresource === 'status') return source.status === undefined ? {} : { status: source.status };
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    if (key === 'status' && request.resetsStatus) continue;
    setEntry(rest, key, source[key]);
  }
  const metadata = source.metadata;
  if (metadata && typeof metadata === 'object') {
    const meta: Record<string, unknown> = {};
    let count = 0;
    for (const key of Object.keys(metadata)) {
      if (systemMetadata.has(key)) continue;
      setEntry(meta, key, (metadata as Record<string, unknown>)[key]);
      count++;
    }
    if (count > 0) rest.metadata = meta;
  }
  return rest;
}

/** A "__proto__" key is data here (JSON.parse makes it an own property); plain assignment is not. */
function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function identityOf(entry: ManagedFieldsEntry): string {
  const version = entry.operation === 'Apply' ? '' : (entry.apiVersion ?? '');
  return `${entry.manager ?? ''}\u0000${entry.operation ?? ''}\u0000${entry.subresource ?? ''}\u0000${version}`;
}

/** Entries as sets; an entry that does not decode makes the whole list unusable (as in kube). */
function decode(entries: readonly ManagedFieldsEntry[] | undefined): Managed[] | undefined {
  if (!Array.isArray(entries)) return undefined;
  const out: Managed[] = [];
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') return undefined;
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') return undefined;
    const decoded = FieldSet.decodeFieldsV1(entry.fieldsV1 ?? {});
    if (!decoded) return undefined;
    const managed: Managed = { entry, set: decoded.set };
    if (decoded.isCanonical && entry.fieldsV1) {
      managed.fieldsV1 = entry.fieldsV1;
      managed.decoded = decoded.set;
    }
    out.push(managed);
  }
  return out;
}

// Sorted as apiserver sorts them: operation, time, manager, apiVersion, subresource.
function compareEntries(a: ManagedFieldsEntry, b: ManagedFieldsEntry): number {
  const keys: (keyof ManagedFieldsEntry)[] = ['operation', 'time', 'manager', 'apiVersion', 'subresource'];
  for (const key of keys) {
    const x = String(a[key] ?? '');
    const y = String(b[key] ?? '');
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function encode(managed: readonly Managed[]): ManagedFieldsEntry[] {
  return managed
    .filter((m) => !m.set.isEmpty)
    .map((m) => {
      const entry: ManagedFieldsEntry = {
        manager: m.entry.manager ?? '',
        operation: m.entry.operation ?? 'Update',
        apiVersion: m.entry.apiVersion ?? '',
      };
      if (m.entry.time) entry.time = m.entry.time;
      entry.fieldsType = 'FieldsV1';
      // Entries a write did not touch keep their fieldsV1 (shared with the input, which is not changed).
      entry.fieldsV1 = m.set === m.decoded && m.fieldsV1 ? m.fieldsV1 : m.set.toFieldsV1();
      if (m.entry.subresource) entry.subresource = m.entry.subresource;
      return entry;
    })
    .sort(compareEntries);
}

/** A request that sets managedFields itself ([] or [{}] resets them; kubectl's apply migration). */
function managedOfRequest(live: KubeObject | undefined, next: KubeObject, request: FieldManagerRequest): Managed[] {
  const fromLive = () => decode(live?.metadata.managedFields) ?? [];
  if (request.subresource) return fromLive();
  const requested = next.metadata.managedFields;
  if (Array.isArray(requested)) {
    if (requested.length === 0) return [];
    if (requested.length === 1 && Object.keys(requested[0] ?? {}).length === 0) return [];
  }
  const decoded = decode(requested);
  return decoded && decoded.length > 0 ? decoded : fromLive();
}

function ownEntry(managed: Managed[], entry: ManagedFieldsEntry): Managed {
  const id = identityOf(entry);
  let own = managed.find((m) => identityOf(m.entry) === id);
  if (!own) {
    own = { entry, set: new FieldSet() };
    managed.push(own);
  }
  own.entry = entry;
  return own;
}

function entryFor(request: FieldManagerRequest, operation: 'Apply' | 'Update'): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = {
    manager: request.manager,
    operation,
    apiVersion: request.apiVersion,
    time: request.now,
  };
  if (request.subresource) entry.subresource = request.subresource;
  return entry;
}

/**
 * Records an Update by `request.manager` from `live` (undefined for a create) to `next`, setting
 * `next.metadata.managedFields`.
 */
export function recordUpdate(live: KubeObject | undefined, next: KubeObject, request: FieldManagerRequest): void {
  const managed = managedOfRequest(live, next, request);
  const comparison = compareObjects(owned(live, request), owned(next, request), request.schema);
  const isUnchanged = comparison.changed.isEmpty && comparison.removed.isEmpty;
  if (isUnchanged) {
    const entries = encode(managed);
    if (entries.length > 0 || next.metadata.managedFields !== undefined) next.metadata.managedFields = entries;
    return;
  }
  const entry = entryFor(request, 'Update');
  const id = identityOf(entry);
  for (const m of managed) {
    if (identityOf(m.entry) === id) continue;
    m.set = m.set.difference(comparison.changed).difference(comparison.removed);
  }
  const own = ownEntry(managed, entry);
  own.set = own.set.union(comparison.changed).difference(comparison.removed);
  next.metadata.managedFields = encode(managed);
}

/** Whether an entry's set (as decoded, or changed since) holds exactly `set`. */
function isSameSet(managed: Managed, set: FieldSet): boolean {
  if (managed.set === managed.decoded && managed.fieldsV1) return set.equalsFieldsV1(managed.fieldsV1);
  return managed.set.equals(set);
}

/** How conflict messages name a manager (fieldmanager printManager). */
function printManager(entry: ManagedFieldsEntry): string {
  let text = JSON.stringify(entry.manager ?? '');
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') text += ` using ${entry.apiVersion ?? ''}`;
  return text;
}

/**
 * What an apply changed, taken from the other managers (409 instead unless `force`); true when
 * something they own changed. Only fields they own are compared: that is all conflicts and
 * ownership need, and for a manager that applies alone nothing.
 */
function transferOwnership(
  others: readonly Managed[],
  before: unknown,
  after: unknown,
  schema: PatchSchema,
  force: boolean,
): boolean {
  const owners = others.filter((m) => !m.set.isEmpty);
  if (owners.length === 0) return false;
  const scope = owners.reduce((all, m) => all.union(m.set), new FieldSet());
  const comparison = compareObjects(before, after, schema, scope);
  const conflicts: ApplyConflict[] = [];
  for (const m of owners) {
    for (const path of m.set.intersection(comparison.changed).paths()) {
      conflicts.push({ manager: printManager(m.entry), field: formatPath(path) });
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
  for (const m of owners) m.set = m.set.difference(comparison.changed).difference(comparison.removed);
  return !comparison.changed.isEmpty || !comparison.removed.isEmpty;
}

/**
 * Server-side apply of `config` by `request.manager` onto `live` (undefined: the object is created).
 * Returns the object to store, with managedFields; throws the 409 of conflicts unless `force`.
 */
export function applyConfiguration(
  live: KubeObject | undefined,
  config: KubeObject,
  request: FieldManagerRequest,
  force: boolean,
): KubeObject {
  const managed = decode(live?.metadata.managedFields) ?? [];
  const applied = owned(config, request);
  const entry = entryFor(request, 'Apply');
  const id = identityOf(entry);
  const previous = managed.find((m) => identityOf(m.entry) === id);
  // The same fields as last time (a re-apply with new values) keep the stored set, never built here.
  const isStoredSet =
    previous?.set === previous?.decoded &&
    previous?.fieldsV1 !== undefined &&
    fieldSetMatches(applied, request.schema, previous.fieldsV1);
  const configSet = isStoredSet && previous ? previous.set : fieldSetOf(applied, request.schema);
  const others = managed.filter((m) => m !== previous);
  const { managedFields: _ignored, ...configMetadata } = config.metadata;
  const body: Record<string, unknown> = {
    ...applied,
    metadata: { ...(applied.metadata as object), ...configMetadata },
  };
  let merged = mergeConfiguration(live ?? {}, body, request.schema) as KubeObject;
  // The common re-apply of the same fields with new values gives up nothing: no removal walk.
  const appliesSameFields = isStoredSet || (previous !== undefined && isSameSet(previous, configSet));
  if (previous && !appliesSameFields) {
    const keep = others.reduce((all, m) => all.union(m.set), configSet);
    merged = removeFields(merged, previous.set.difference(configSet), keep, request.schema) as KubeObject;
  }
  const before = owned(live, request);
  const after = owned(merged, request);
  const hasChanged = transferOwnership(others, before, after, request.schema, force);
  const isUnchanged = !hasChanged && !hasChanges(before, after, request.schema);
  if (isUnchanged && appliesSameFields && previous?.entry.apiVersion === request.apiVersion) {
    merged.metadata = { ...merged.metadata, managedFields: encode(managed) };
    return merged;
  }
  const own = ownEntry(managed, entry);
  // The same fields as last time (a re-apply with new values): the stored fieldsV1 stays as it is.
  own.set = appliesSameFields && own === previous ? previous.set : configSet;
  merged.metadata = { ...merged.metadata, managedFields: encode(managed) };
  return merged;
}
