/**
 * Table printing of custom resources from a CRD version's additionalPrinterColumns (apiextensions
 * tableconvertor): Name first, then each column's first JSONPath match, typed as the column says
 * (a value of another type prints as an empty cell). Without columns a version prints Name and Age.
 * `date` cells are ages ("5m"), as kube-apiserver turns them into human-readable durations.
 */
import { since } from '../printers/age.ts';
import { nameColumn } from '../printers/columns.ts';
import type { Cell, ColumnDefinition, Printer } from '../types.ts';
import type { PrinterColumn } from './crd-types.ts';
import { compileJsonPath, type JsonPath } from './json-path.ts';

const columnTypes = new Set(['string', 'integer', 'number', 'boolean', 'date']);
const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function cellOf(type: string, value: unknown, now: number): Cell {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? since(value, now) : null;
    default:
      if (value === undefined || value === null) return null;
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** The printer of one CRD version; columns with unparsable paths were refused by CRD validation. */
export function printerFromColumns(columns: readonly PrinterColumn[] | undefined): Printer {
  const used = columns?.length ? columns : [ageColumn];
  const compiled: { column: PrinterColumn; path: JsonPath }[] = used.map((column) => ({
    column,
    path: compileJsonPath(column.jsonPath),
  }));
  const definitions: ColumnDefinition[] = [
    nameColumn,
    ...used.map((c) => ({
      name: c.name,
      type: (columnTypes.has(c.type) ? c.type : 'string') as ColumnDefinition['type'],
      format: c.format ?? '',
      description:
        c.description ??
        (c.name === 'Age' && c === ageColumn
          ? 'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp'
          : ''),
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: definitions,
    row(object, now) {
      const cells: Cell[] = [object.metadata.name ?? ''];
      for (const { column, path } of compiled) cells.push(cellOf(column.type, path.find(object)[0], now));
      return cells;
    },
  };
}
