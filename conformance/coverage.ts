/**
 * coverage.tsv: every codename of subset.tsv with where it stands — passing, failing (with the
 * capability expected-failures.tsv names, if any), written but not run yet, or not written yet.
 */
import type { JudgedResult } from './verdict.ts';

export type CoverageStatus = 'passing' | 'failing' | 'skipped' | 'written-not-run' | 'not-written';

export interface SubsetEntry {
  codename: string;
  area: string;
  needs: string;
}

export const coverageColumns = ['codename', 'area', 'status', 'missing_capability', 'needs'] as const;

export function coverageRows(
  subset: readonly SubsetEntry[],
  defined: ReadonlySet<string>,
  results: ReadonlyMap<string, Pick<JudgedResult, 'verdict' | 'missingCapability'>>,
  expected: ReadonlyMap<string, string>,
): Array<Record<(typeof coverageColumns)[number], string>> {
  return subset.map((entry) => {
    const result = results.get(entry.codename);
    const status: CoverageStatus = !defined.has(entry.codename)
      ? 'not-written'
      : !result
        ? 'written-not-run'
        : result.verdict === 'passed' || result.verdict === 'unexpectedly-passing'
          ? 'passing'
          : result.verdict === 'skipped'
            ? 'skipped'
            : 'failing';
    const missing = status === 'failing' ? (expected.get(entry.codename) ?? '') : '';
    return { codename: entry.codename, area: entry.area, status, missing_capability: missing, needs: entry.needs };
  });
}

export function coverageSummary(rows: ReadonlyArray<{ status: string }>): string {
  const count = (s: CoverageStatus) => rows.filter((r) => r.status === s).length;
  return `coverage: ${rows.length} in subset; ${count('passing')} passing, ${count('failing')} failing, ${count('skipped')} skipped, ${count('written-not-run')} written but not run, ${count('not-written')} not written`;
}
