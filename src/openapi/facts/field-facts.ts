/**
 * Facts about fields that the client-node models lack, from our table field-facts.json (extracted by
 * extract-field-facts.mjs from the Go types' struct tags and markers): patch strategy and merge key for
 * strategic merge patch, list type / map keys / map type for server-side apply, the enum values
 * Kubernetes validates, and which fields hold Quantities.
 */
import table from './field-facts.json' with { type: 'json' };

export interface PatchMeta {
  /** x-kubernetes-patch-strategy: `merge`, `retainKeys`, `merge,retainKeys`, `replace`. */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key, e.g. `name`, `containerPort`. */
  patchMergeKey?: string;
  /** x-kubernetes-list-type: `atomic`, `set`, `map`. */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys (with listType map). */
  listMapKeys?: string[];
  /** x-kubernetes-map-type: `atomic`, `granular`. */
  mapType?: 'atomic' | 'granular';
}

export interface FieldFacts extends PatchMeta {
  enum?: string[];
  /** `value`: the field is a Quantity; `map`: a map of Quantities (ResourceList). */
  quantity?: 'value' | 'map';
}

interface Entry {
  ps?: string;
  pk?: string;
  lt?: string;
  lk?: string[];
  mt?: string;
  enum?: string[];
  q?: string;
}

// The JSON is our generated table (its shape is checked by field-facts.test.ts); the cast states that shape.
const definitions = (table as unknown as { definitions: Record<string, Record<string, Entry>> }).definitions;

function toFacts(entry: Entry): FieldFacts {
  const facts: FieldFacts = {};
  if (entry.ps) facts.patchStrategy = entry.ps;
  if (entry.pk) facts.patchMergeKey = entry.pk;
  if (entry.lt) facts.listType = entry.lt as PatchMeta['listType'];
  if (entry.lk) facts.listMapKeys = [...entry.lk];
  if (entry.mt) facts.mapType = entry.mt as PatchMeta['mapType'];
  if (entry.enum) facts.enum = [...entry.enum];
  if (entry.q) facts.quantity = entry.q as FieldFacts['quantity'];
  return facts;
}

/** Every fact about one field, or undefined. Field `''` is the definition itself (its map type). */
export function fieldFacts(definition: string, field: string): FieldFacts | undefined {
  const entry = definitions[definition]?.[field];
  return entry ? toFacts(entry) : undefined;
}

/** The fields with facts of one definition, by JSON name. */
export function definitionFacts(definition: string): ReadonlyMap<string, FieldFacts> {
  return new Map(Object.entries(definitions[definition] ?? {}).map(([field, entry]) => [field, toFacts(entry)]));
}

/**
 * What strategic merge patch and server-side apply need to know about a field of a definition,
 * e.g. `patchMetaFor('io.k8s.api.core.v1.PodSpec', 'containers')` →
 * `{ patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }`.
 * An empty object means: no strategy (lists are replaced, maps merged).
 */
export function patchMetaFor(definition: string, field: string): PatchMeta {
  const entry = definitions[definition]?.[field];
  if (!entry) return {};
  const { enum: _values, quantity: _quantity, ...meta } = toFacts(entry);
  return meta;
}

/** The upstream commits the table was read from. */
export const fieldFactsSource: Readonly<Record<string, string>> = (
  table as unknown as { source: Record<string, string> }
).source;
