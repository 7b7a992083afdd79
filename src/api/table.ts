/**
 * Server-side printing: objects → a meta.k8s.io Table (contract §10). The columns and cells come from
 * the kind's printer; kinds without one get apiserver's default table (Name, Created At). Each row
 * carries the object as kubectl needs it for -A, -L and --show-labels: PartialObjectMetadata by default.
 */
import type { Cell, ColumnDefinition, Printer, ResourceDef } from '../registry/types.ts';
import type { KubeObject, ListMeta } from '../types/meta.ts';
import type { IncludeObject } from './query.ts';

export type TableVersion = 'v1' | 'v1beta1';

export interface TableRow {
  cells: Cell[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  columnDefinitions?: ColumnDefinition[];
  rows: TableRow[];
}

/** apiserver's default table convertor (registry/rest/table.go): name and creation time, nothing else. */
export const defaultPrinter: Printer = {
  columns: [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name of the object, unique within its namespace (or the cluster for cluster-scoped kinds).',
      priority: 0,
    },
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description: 'When the server created the object (RFC 3339, UTC).',
      priority: 0,
    },
  ],
  row: (object) => [object.metadata.name ?? '', object.metadata.creationTimestamp ?? null],
};

export function printerOf(def: ResourceDef): Printer {
  return def.printer ?? defaultPrinter;
}

function rowObject(def: ResourceDef, object: KubeObject, includeObject: IncludeObject, version: TableVersion): unknown {
  switch (includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      // List items are stored and listed without kind and apiVersion; kubectl decodes each row's object on
      // its own (--sort-by, custom columns), which needs them.
      if (object.kind && object.apiVersion) return object;
      return { ...object, kind: def.kind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version };
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata };
  }
}

export interface TableOptions {
  includeObject: IncludeObject;
  version: TableVersion;
  /** ms since epoch, for ages. */
  now: number;
  /** False for watch events after the first: columnDefinitions are sent once per stream. */
  withColumns?: boolean;
}

export function toTable(def: ResourceDef, objects: readonly KubeObject[], metadata: ListMeta, o: TableOptions): Table {
  const printer = printerOf(def);
  const rows = objects.map((object) => {
    const row: TableRow = { cells: printer.row(object, o.now) };
    const included = rowObject(def, object, o.includeObject, o.version);
    if (included !== undefined) row.object = included;
    return row;
  });
  const apiVersion = `meta.k8s.io/${o.version}`;
  // Key order as the real server writes it: columnDefinitions before rows.
  return o.withColumns === false
    ? { kind: 'Table', apiVersion, metadata, rows }
    : { kind: 'Table', apiVersion, metadata, columnDefinitions: [...printer.columns], rows };
}
