/** Builders shared by the printer tests. */
import type { KubeObject } from '../../types/meta.ts';
import type { Printer } from '../types.ts';

/** A fixed "now" for deterministic ages: 2025-01-01T12:00:00Z. */
export const now = Date.parse('2025-01-01T12:00:00Z');

/** An RFC 3339 timestamp `milliseconds` before `now`. */
export function ago(milliseconds: number): string {
  return new Date(now - milliseconds).toISOString().replace('.000Z', 'Z');
}

export const minutes = (n: number) => n * 60_000;
export const hours = (n: number) => n * 3_600_000;
export const days = (n: number) => n * 86_400_000;

/** An object of `kind` named `name`, created five minutes before `now`, with `fields` merged in. */
export function object(
  kind: string,
  fields: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    ...fields,
    metadata: { name: 'x', creationTimestamp: ago(minutes(5)), ...metadata },
  };
}

/** The row as a map from column name to cell, so tests name the column they check. */
export function cells(printer: Printer, value: KubeObject): Record<string, unknown> {
  const row = printer.row(value, now);
  return Object.fromEntries(printer.columns.map((c, index) => [c.name, row[index]]));
}
