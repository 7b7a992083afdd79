/**
 * Serving custom resources: every served version of every stored CustomResourceDefinition becomes a
 * ResourceDef in the table; versions share storage under the CRD's group and plural, converted by
 * rewriting apiVersion (the `None` conversion strategy). When the last definition of a (group, plural)
 * goes away its objects are deleted, as the customresourcecleanup finalizer does.
 */
import type { KubeObject } from '../types/meta.ts';
import { storagePrefix } from './keys.ts';
import type { RegistryState } from './registry-state.ts';
import { fieldPath } from './strategies/shared.ts';
import type { ResourceDef, Strategy, SubresourceDef } from './types.ts';

interface CRDVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: object; scale?: object };
  selectableFields?: { jsonPath: string }[];
}

interface CRDSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { kind: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] };
  versions: CRDVersion[];
}

const customStrategy: Strategy = { tracksGeneration: true };
const customDefs = new WeakSet<ResourceDef>();

/** True for defs made from a CRD (strategic merge patch is refused for them, as on real servers). */
export function isCustomResource(def: ResourceDef): boolean {
  return customDefs.has(def);
}

const withAPIVersion = (apiVersion: string) => (object: KubeObject) => ({ ...object, apiVersion });

export function defsForCRD(crd: Readonly<KubeObject>): ResourceDef[] {
  const spec = crd.spec as CRDSpec | undefined;
  if (!spec?.group || !spec.names?.plural || !spec.names.kind || !Array.isArray(spec.versions)) return [];
  const storageVersion = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name;
  return spec.versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const subresources: SubresourceDef[] = [];
      if (v.subresources?.status)
        subresources.push({ name: 'status', kind: spec.names.kind, verbs: ['get', 'patch', 'update'] });
      const def: ResourceDef = {
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        plural: spec.names.plural,
        singular: spec.names.singular || spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        strategy: customStrategy,
      };
      if (spec.names.shortNames?.length) def.shortNames = spec.names.shortNames;
      if (spec.names.categories?.length) def.categories = spec.names.categories;
      if (subresources.length) def.subresources = subresources;
      if (v.selectableFields?.length) {
        def.fieldSelectors = Object.fromEntries(
          v.selectableFields.map((f) => [f.jsonPath.replace(/^\./, ''), fieldPath(f.jsonPath.replace(/^\./, ''))]),
        );
      }
      if (v.name !== storageVersion) {
        def.storage = {
          group: spec.group,
          resource: spec.names.plural,
          toStorage: withAPIVersion(`${spec.group}/${storageVersion}`),
          fromStorage: withAPIVersion(`${spec.group}/${v.name}`),
        };
      }
      customDefs.add(def);
      return def;
    });
}

const served = new WeakMap<RegistryState, Map<string, ResourceDef>>();
const keyOf = (d: Pick<ResourceDef, 'group' | 'version' | 'plural'>) => `${d.group}/${d.version}/${d.plural}`;

/** Brings the table in line with the stored CRDs; called at start and after every CRD write. */
export async function syncCustomResources(state: RegistryState): Promise<void> {
  const crdDef = state.table.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  if (!crdDef) return;
  const { kvs } = await state.store.list(storagePrefix(crdDef));
  const wanted = new Map<string, ResourceDef>();
  for (const kv of kvs) {
    const crd = state.decoder.decode(kv);
    for (const def of defsForCRD(crd)) wanted.set(keyOf(def), def);
  }
  const current = served.get(state) ?? new Map<string, ResourceDef>();
  for (const [key, def] of current) {
    if (wanted.has(key)) continue;
    state.table.remove(def.group, def.version, def.plural);
    const stillServed = [...wanted.values()].some((d) => d.group === def.group && d.plural === def.plural);
    if (!stillServed) await deleteAll(state, def);
  }
  for (const [key, def] of wanted) {
    const existing = current.get(key);
    if (!existing || JSON.stringify(describe(existing)) !== JSON.stringify(describe(def))) state.table.add(def);
    else wanted.set(key, existing);
  }
  served.set(state, wanted);
}

/** The parts of a def that a CRD change can alter (functions compare by identity, so leave them out). */
function describe(def: ResourceDef): unknown {
  return [
    def.kind,
    def.singular,
    def.namespaced,
    def.shortNames,
    def.categories,
    def.subresources,
    Object.keys(def.fieldSelectors ?? {}),
    !!def.storage,
  ];
}

async function deleteAll(state: RegistryState, def: ResourceDef): Promise<void> {
  const prefix = `/registry/${def.group}/${def.plural}/`;
  const { kvs } = await state.store.list(prefix);
  for (const kv of kvs) await state.store.delete(kv.key, kv.modRevision).catch(() => undefined);
}
