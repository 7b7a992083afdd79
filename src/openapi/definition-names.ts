/**
 * Maps client-node model class names onto OpenAPI definition names. The class name keeps the version
 * and sometimes a group prefix but drops the package (`V1DeploymentSpec`, `CoreV1Event`); the protobuf
 * table knows every message of k8s.io/api and apimachinery by short name, which settles the package.
 * Models from packages outside that table come from model-definitions.ts; any model still unnamed is
 * placed in the package of the first named model that refers to it (newer types the table predates).
 */
import { definitionPackagePrefix } from './facts/api-groups.ts';
import {
  apiextensionsKinds,
  apiregistrationKinds,
  preferredPackages,
  unversionedModels,
} from './facts/model-definitions.ts';
import { definitionsByShortName } from './facts/proto-fields.ts';
import type { Model } from './models.ts';

interface ParsedName {
  /** Lower-case group prefix (`core` for `CoreV1Event`), if any. */
  groupPrefix?: string;
  version: string;
  kind: string;
}

export function parseModelName(name: string): ParsedName | undefined {
  const match = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(name);
  if (!match?.[2] || !match[3]) return undefined;
  const parsed: ParsedName = { version: match[2].toLowerCase(), kind: match[3] };
  if (match[1]) parsed.groupPrefix = match[1].toLowerCase();
  return parsed;
}

function outsideTable({ groupPrefix, version, kind }: ParsedName): string | undefined {
  const pkg =
    groupPrefix === 'apiextensions' || (!groupPrefix && apiextensionsKinds.includes(kind))
      ? 'apiextensions'
      : groupPrefix === 'apiregistration' || (!groupPrefix && apiregistrationKinds.includes(kind))
        ? 'apiregistration'
        : undefined;
  return pkg ? `${definitionPackagePrefix[pkg]}.${version}.${kind}` : undefined;
}

function fromTable({ groupPrefix, version, kind }: ParsedName): string | undefined {
  const candidates = definitionsByShortName(kind).filter((d) => {
    const labels = d.split('.');
    return labels.at(-2) === version && (!groupPrefix || labels.at(-3) === groupPrefix);
  });
  if (candidates.length <= 1) return candidates[0];
  for (const prefix of preferredPackages) {
    const preferred = candidates.find((d) => d.startsWith(prefix));
    if (preferred) return preferred;
  }
  return candidates[0];
}

/** Model class names referred to by a property type such as `Array<V1Container>`. */
export function referencedModels(type: string): string[] {
  return [...type.matchAll(/\b([A-Z][A-Za-z0-9]*V\d\w*|V\d\w*)\b/g)].map((m) => m[1] ?? '');
}

/** Definition name of every model that has one, by model class name. */
export function definitionNames(models: ReadonlyMap<string, Model>): Map<string, string> {
  const names = new Map<string, string>();
  const parsedNames = new Map<string, ParsedName>();
  for (const model of models.values()) {
    const unversioned = unversionedModels[model.name];
    if (unversioned) {
      names.set(model.name, unversioned);
      continue;
    }
    const parsed = parseModelName(model.name);
    if (!parsed) continue;
    parsedNames.set(model.name, parsed);
    const name = outsideTable(parsed) ?? fromTable(parsed);
    if (name) names.set(model.name, name);
  }
  // Place unnamed models beside a named model that refers to them, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const model of models.values()) {
      const owner = names.get(model.name);
      if (!owner) continue;
      const pkg = owner.slice(0, owner.lastIndexOf('.'));
      for (const property of model.properties) {
        for (const referenced of referencedModels(property.type)) {
          const parsed = parsedNames.get(referenced);
          if (!parsed || names.has(referenced) || !pkg.endsWith(`.${parsed.version}`)) continue;
          names.set(referenced, `${pkg}.${parsed.kind}`);
          changed = true;
        }
      }
    }
  }
  return names;
}
