/** The served resources: the built-in table plus whatever CRDs add at run time. */
import type { ResourceDef, ResourceTable } from './types.ts';

export interface MutableResourceTable extends ResourceTable {
  add(def: ResourceDef): void;
  remove(group: string, version: string, plural: string): void;
}

export function createResourceTable(initial: readonly ResourceDef[]): MutableResourceTable {
  const defs: ResourceDef[] = [...initial];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  const find = (group: string, version: string, test: (d: ResourceDef) => boolean) =>
    defs.find((d) => d.group === group && d.version === version && test(d));
  return {
    all: () => defs,
    lookup: (group, version, plural) => find(group, version, (d) => d.plural === plural),
    byKind: (group, version, kind) => find(group, version, (d) => d.kind === kind),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add(def) {
      const at = defs.findIndex((d) => d.group === def.group && d.version === def.version && d.plural === def.plural);
      if (at >= 0) defs[at] = def;
      else defs.push(def);
      changed();
    },
    remove(group, version, plural) {
      const at = defs.findIndex((d) => d.group === group && d.version === version && d.plural === plural);
      if (at >= 0) {
        defs.splice(at, 1);
        changed();
      }
    },
  };
}
