import { describe, expect, it } from 'vitest';
import { printerFor, printers } from './index.ts';
import { now } from './testing.ts';

/** Shapes a user manifest may have: nothing at all, or every field of the wrong type. */
const odd: Record<string, unknown>[] = [
  {},
  { metadata: { name: 'm' } },
  { metadata: { name: 'm', labels: 'x' }, spec: 'x', status: 7, data: [1], subsets: 'x', endpoints: {}, ports: 3 },
  {
    metadata: { name: 'm', ownerReferences: [null, 1] },
    spec: { containers: [null, 'x'], ports: [null], rules: [1], template: null, metrics: [{ type: 'Resource' }] },
    status: { conditions: [null], containerStatuses: [{ state: null }], hard: { cpu: 1 } },
  },
];

describe('printers', () => {
  it.each(Object.entries(printers))('%s: one cell per column, never throws on odd objects', (_key, printer) => {
    for (const value of odd) {
      const row = printer.row({ apiVersion: 'v1', kind: 'X', metadata: {}, ...value }, now);
      expect(row).toHaveLength(printer.columns.length);
    }
  });

  it.each(Object.entries(printers))('%s: has exactly one name-format column', (_key, printer) => {
    expect(printer.columns.filter((c) => c.format === 'name')).toHaveLength(1);
  });

  it('looks printers up by group and kind', () => {
    expect(printerFor('', 'Pod')).toBe(printers.Pod);
    expect(printerFor('apps', 'Deployment')).toBe(printers['apps/Deployment']);
    expect(printerFor('', 'Deployment')).toBeUndefined();
    expect(printerFor('', 'toString')).toBeUndefined();
  });
});
