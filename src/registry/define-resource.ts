/**
 * Turning one table entry into a ResourceDef: singular from the kind, the printer from the printer table,
 * and subresource kinds defaulting to the parent's (a 'status' subresource speaks the parent's kind).
 */
import { kindDefaults } from '../openapi/defaults/kind-defaults.ts';
import { printerFor } from './printers/index.ts';
import type { ResourceDef, Strategy, SubresourceDef } from './types.ts';

export interface ResourceEntry extends Omit<ResourceDef, 'singular' | 'strategy' | 'subresources'> {
  singular?: string;
  strategy?: Strategy;
  /** Subresource kinds default to the parent's kind ('status'). */
  subresources?: readonly SubresourceDef[];
}

const readWrite = ['get', 'patch', 'update'] as const;

/** The status subresource: the parent's kind, read and written with get/patch/update. */
export const statusSubresource: SubresourceDef = { name: 'status', kind: '', verbs: readWrite };

/** Kinds whose strategy brings no defaulting get the kind's table defaults (openapi/defaults). */
function withKindDefaults(entry: ResourceEntry): Strategy {
  const strategy = entry.strategy ?? {};
  const defaults = strategy.defaults ? undefined : kindDefaults(entry.group, entry.version, entry.kind);
  return defaults ? { ...strategy, defaults } : strategy;
}

export function defineResource(entry: ResourceEntry): ResourceDef {
  const subresources = entry.subresources?.map((s) => (s.kind ? s : { ...s, kind: entry.kind }));
  const def: ResourceDef = {
    ...entry,
    singular: entry.singular ?? entry.kind.toLowerCase(),
    strategy: withKindDefaults(entry),
  };
  if (subresources) def.subresources = subresources;
  const printer = printerFor(entry.group, entry.kind);
  if (printer) def.printer = printer;
  return def;
}
