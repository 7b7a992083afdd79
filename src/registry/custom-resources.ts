/**
 * Serving custom resources: every served version of every stored CustomResourceDefinition becomes a
 * ResourceDef in the table (crd/defs-for-crd.ts), its schema is published in the OpenAPI catalog, and
 * a CRD being deleted first loses its objects, then its customresourcecleanup finalizer, as
 * apiextensions' finalizer controller does (crd/instance-cleanup.ts). The table follows CRD writes made here at once (before the
 * write is acknowledged) and those of other API servers sharing the store through a watch.
 */
import { isStorageError } from '../storage/types.ts';
import type { KubeObject } from '../types/meta.ts';
import type { CRDSpec } from './crd/crd-types.ts';
import { crdSpecOf, defsForCRD, fingerprintOf, type SchemaCache } from './crd/defs-for-crd.ts';
import { cleanUpInstances, instancesPrefix, isAwaitingCleanup } from './crd/instance-cleanup.ts';
import { createSchemaPublisher, type PublishedVersion, type SchemaPublisher } from './crd/openapi-schemas.ts';
import { storagePrefix } from './keys.ts';
import type { RegistryState } from './registry-state.ts';
import type { ResourceDef } from './types.ts';

const customDefs = new WeakSet<ResourceDef>();

/** True for defs made from a CRD (strategic merge patch is refused for them, as on real servers). */
export function isCustomResource(def: ResourceDef): boolean {
  return customDefs.has(def);
}

interface Served {
  def: ResourceDef;
  fingerprint: string;
}

interface Serving {
  served: Map<string, Served>;
  schemas: SchemaCache;
  publisher: SchemaPublisher;
  /** Syncs run one at a time, in order: a later one sees every write an earlier one saw. */
  queue: Promise<unknown>;
  /** CRDs (by name) whose cleanup waits for objects held by finalizers: their deletions re-run it. */
  awaiting: Map<string, AbortController>;
}

const servings = new WeakMap<RegistryState, Serving>();
const keyOf = (d: Pick<ResourceDef, 'group' | 'version' | 'plural'>) => `${d.group}/${d.version}/${d.plural}`;

function servingOf(state: RegistryState): Serving {
  let serving = servings.get(state);
  if (!serving) {
    serving = {
      served: new Map(),
      schemas: new Map(),
      publisher: createSchemaPublisher(),
      queue: Promise.resolve(),
      awaiting: new Map(),
    };
    servings.set(state, serving);
  }
  return serving;
}

function crdDefOf(state: RegistryState): ResourceDef | undefined {
  return state.table.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
}

/**
 * Brings the table in line with the stored CRDs; called at start, after every CRD write and on every
 * CRD watch event. With `finishDeletions`, CRDs being deleted lose their objects and their finalizer.
 * Resolves with the revision the CRDs were read at.
 */
export function syncCustomResources(
  state: RegistryState,
  options: { finishDeletions?: boolean } = {},
): Promise<number> {
  const serving = servingOf(state);
  const run = serving.queue.then(() => sync(state, serving, options.finishDeletions === true));
  serving.queue = run.catch(() => undefined);
  return run;
}

async function sync(state: RegistryState, serving: Serving, finishDeletions: boolean): Promise<number> {
  const crdDef = crdDefOf(state);
  if (!crdDef) return 0;
  let listed = await state.store.list(storagePrefix(crdDef));
  let crds = listed.kvs.map((kv) => state.decoder.decode(kv));
  const deleting = crds.filter(isAwaitingCleanup);
  if (finishDeletions && deleting.length) {
    for (const crd of deleting) await finishDeletion(state, serving, crdDef, crd);
    listed = await state.store.list(storagePrefix(crdDef));
    crds = listed.kvs.map((kv) => state.decoder.decode(kv));
  }
  for (const [name, watch] of serving.awaiting) {
    if (crds.some((crd) => crd.metadata.name === name && isAwaitingCleanup(crd))) continue;
    watch.abort();
    serving.awaiting.delete(name);
  }
  const used: SchemaCache = new Map();
  const wanted = new Map<string, Served>();
  const published: PublishedVersion[] = [];
  for (const crd of crds) {
    for (const def of defsForCRD(crd, serving.schemas, used)) {
      const key = keyOf(def);
      const fingerprint = fingerprintOf(crd, def.version);
      const existing = serving.served.get(key);
      wanted.set(key, existing?.fingerprint === fingerprint ? existing : { def, fingerprint });
      const version = (crd.spec as CRDSpec).versions.find((v) => v.name === def.version);
      published.push({
        gvk: { group: def.group, version: def.version, kind: def.kind },
        schema: version?.schema?.openAPIV3Schema,
      });
    }
  }
  serving.schemas = used;
  for (const [key, { def }] of serving.served) {
    if (wanted.has(key)) continue;
    state.table.remove(def.group, def.version, def.plural);
    const stillServed = [...wanted.values()].some(({ def: d }) => d.group === def.group && d.plural === def.plural);
    const stillStored = crds.some(
      (crd) => crdSpecOf(crd)?.group === def.group && crdSpecOf(crd)?.names.plural === def.plural,
    );
    if (!stillServed && !stillStored) await deleteAll(state, def.group, def.plural);
  }
  for (const [key, entry] of wanted) {
    if (serving.served.get(key) === entry) continue;
    customDefs.add(entry.def);
    state.table.add(entry.def);
  }
  serving.served = wanted;
  serving.publisher.publish(published);
  return listed.revision;
}

/**
 * One cleanup pass for a CRD being deleted; while objects held by their own finalizers remain, a watch
 * on them runs the next pass when one goes.
 */
async function finishDeletion(state: RegistryState, serving: Serving, crdDef: ResourceDef, crd: KubeObject) {
  const spec = crdSpecOf(crd);
  const def = [...serving.served.values()]
    .map(({ def }) => def)
    .find((d) => d.group === spec?.group && d.plural === spec?.names.plural);
  const progress = await cleanUpInstances(state, crdDef, crd, def);
  const name = crd.metadata.name ?? '';
  if (progress.remaining === 0 || !spec || serving.awaiting.has(name)) return;
  const watch = new AbortController();
  serving.awaiting.set(name, watch);
  void (async () => {
    try {
      const prefix = instancesPrefix(spec.group, spec.names.plural);
      for await (const batch of state.store.watch(prefix, progress.revision, { signal: watch.signal })) {
        if (batch.events.some((e) => e.type === 'delete')) await syncCustomResources(state, { finishDeletions: true });
      }
    } catch {
      // A compacted or closed watch: start over from a fresh pass unless the store is going away.
      if (watch.signal.aborted || serving.awaiting.get(name) !== watch) return;
      serving.awaiting.delete(name);
      await syncCustomResources(state, { finishDeletions: true }).catch(() => undefined);
    }
  })();
}

async function deleteAll(state: RegistryState, group: string, plural: string): Promise<void> {
  const { kvs } = await state.store.list(instancesPrefix(group, plural));
  for (const kv of kvs) await state.store.delete(kv.key, kv.modRevision).catch(() => undefined);
}

/**
 * Follows CRD changes made through other API servers sharing the store: every batch of CRD events
 * re-syncs the table. Ends when the store closes; a compacted or too-slow watch starts over from a
 * fresh read.
 */
export function followCustomResourceDefinitions(state: RegistryState, fromRevision: number, signal: AbortSignal): void {
  const crdDef = crdDefOf(state);
  if (!crdDef) return;
  const prefix = storagePrefix(crdDef);
  void (async () => {
    let revision = fromRevision;
    while (!signal.aborted) {
      try {
        for await (const batch of state.store.watch(prefix, revision, { signal })) {
          revision = batch.revision;
          if (batch.events.length) await syncCustomResources(state);
        }
        return;
      } catch (err) {
        if (signal.aborted || isStorageError(err, 'Unavailable')) return;
        revision = await syncCustomResources(state).catch(() => revision);
      }
    }
  })();
}
