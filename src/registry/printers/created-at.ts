import type { Printer } from '../types.ts';
import { column, nameColumn } from './columns.ts';
import { text } from './fields.ts';

/**
 * The apiserver's default table (rest.NewDefaultTableConvertor), used for kinds without a printer
 * of their own (roles, clusterroles, limitranges, CRDs): Name and Created At, the latter an RFC 3339
 * timestamp in UTC that kubectl prints verbatim.
 */
export const createdAtPrinter: Printer = {
  columns: [nameColumn, column('Created At', 'date', 'When the object was created (metadata.creationTimestamp).')],
  row(object) {
    return [text(object, 'metadata', 'name'), createdAt(text(object, 'metadata', 'creationTimestamp'))];
  },
};

/** Go's zero time formats as 0001-01-01T00:00:00Z; a parsable time is normalised to UTC, seconds precision. */
function createdAt(timestamp: string): string {
  const parsed = Date.parse(timestamp);
  if (timestamp === '' || Number.isNaN(parsed)) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(parsed / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
