/**
 * The ResourceDefs of one CRD: one per served version, sharing storage under the CRD's group and
 * plural, converted by rewriting apiVersion (conversion strategy None). Each carries the strategy of
 * its compiled schema, the printer of its additionalPrinterColumns and its subresources.
 */
import type { KubeObject } from '../../types/meta.ts';
import { fieldPath } from '../strategies/shared.ts';
import type { ResourceDef, SubresourceDef } from '../types.ts';
import { isTerminating } from './crd-status.ts';
import type { CRDSpec, CRDVersion } from './crd-types.ts';
import { type CompiledSchema, compileSchema, customResourceStrategy } from './custom-resource-strategy.ts';
import { printerFromColumns } from './printer-columns.ts';

/** Compiled schemas by their JSON text: a CRD write that leaves a schema alone does not recompile it. */
export type SchemaCache = Map<string, CompiledSchema>;

const withAPIVersion = (apiVersion: string) => (object: KubeObject) => ({ ...object, apiVersion });

export function crdSpecOf(crd: Readonly<KubeObject>): CRDSpec | undefined {
  const spec = crd.spec as CRDSpec | undefined;
  if (!spec?.group || !spec.names?.plural || !spec.names.kind || !Array.isArray(spec.versions)) return undefined;
  return spec;
}

function compiledFor(version: CRDVersion, cache: SchemaCache, used: SchemaCache): CompiledSchema | undefined {
  const schema = version.schema?.openAPIV3Schema;
  if (!schema) return undefined;
  const key = JSON.stringify(schema);
  const compiled = cache.get(key) ?? compileSchema(schema);
  used.set(key, compiled);
  return compiled;
}

function subresourcesOf(spec: CRDSpec, version: CRDVersion): SubresourceDef[] {
  const subresources: SubresourceDef[] = [];
  if (version.subresources?.status)
    subresources.push({ name: 'status', kind: spec.names.kind, verbs: ['get', 'patch', 'update'] });
  if (version.subresources?.scale)
    subresources.push({
      name: 'scale',
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
      verbs: ['get', 'patch', 'update'],
    });
  return subresources;
}

/**
 * The defs of a CRD's served versions. `cache` holds schemas compiled earlier; the ones used here go
 * into `used`, so the caller can drop the rest.
 */
export function defsForCRD(crd: Readonly<KubeObject>, cache: SchemaCache, used: SchemaCache): ResourceDef[] {
  const spec = crdSpecOf(crd);
  if (!spec) return [];
  const storageVersion = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name;
  return spec.versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const def: ResourceDef = {
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        plural: spec.names.plural,
        singular: spec.names.singular || spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        strategy: customResourceStrategy(spec.names.kind, v.name, compiledFor(v, cache, used), {
          ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
          isTerminating: isTerminating(crd),
        }),
        printer: printerFromColumns(v.additionalPrinterColumns),
      };
      if (spec.names.shortNames?.length) def.shortNames = spec.names.shortNames;
      if (spec.names.categories?.length) def.categories = spec.names.categories;
      const subresources = subresourcesOf(spec, v);
      if (subresources.length) def.subresources = subresources;
      const scale = v.subresources?.scale;
      if (scale) {
        def.scale = { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath };
        if (scale.labelSelectorPath) def.scale.labelSelectorPath = scale.labelSelectorPath;
      }
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
      return def;
    });
}

/** What decides whether a served def must be rebuilt: names, scope, that version's spec, Terminating. */
export function fingerprintOf(crd: Readonly<KubeObject>, version: string): string {
  const spec = crdSpecOf(crd);
  if (!spec) return '';
  const storage = spec.versions.find((v) => v.storage)?.name;
  const served = spec.versions.find((v) => v.name === version);
  return JSON.stringify([spec.names, spec.scope, storage, served, isTerminating(crd)]);
}
