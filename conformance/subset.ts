/** subset.tsv (copied from the shared conformance analysis): the tests wharf aims to pass. */
import { readFileSync } from 'node:fs';
import type { SubsetEntry } from './coverage.ts';
import type { ConformanceTest } from './suite.ts';
import { parseTsv } from './tsv.ts';

export function readSubset(path: string): SubsetEntry[] {
  return parseTsv(readFileSync(path, 'utf8')).map((row) => ({
    codename: row.codename ?? '',
    area: row.area ?? '',
    needs: row.needs ?? '',
  }));
}

/** A test's codename must be in the subset, once, with the subset's area. */
export function checkAgainstSubset(tests: readonly ConformanceTest[], subset: readonly SubsetEntry[]): string[] {
  const byCodename = new Map(subset.map((e) => [e.codename, e]));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const t of tests) {
    const entry = byCodename.get(t.codename);
    if (!entry) problems.push(`not a subset codename: ${t.codename}`);
    else if (entry.area !== t.area) problems.push(`area ${t.area} but subset.tsv says ${entry.area}: ${t.codename}`);
    if (seen.has(t.codename)) problems.push(`defined twice: ${t.codename}`);
    seen.add(t.codename);
  }
  return problems;
}
