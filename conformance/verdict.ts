/**
 * What a result means for the run, given expected-failures.tsv: a listed test that fails shows a known
 * gap (the capability it names); a listed test that passes is good news; an unlisted failure fails
 * the run.
 */
import type { Area, TestResult } from './suite.ts';

export type Verdict = 'passed' | 'unexpectedly-passing' | 'expected-failure' | 'failed' | 'skipped';

export interface JudgedResult extends TestResult {
  verdict: Verdict;
  /** The capability expected-failures.tsv names for this test. */
  missingCapability?: string;
}

export function judge(result: TestResult, expected: ReadonlyMap<string, string>): JudgedResult {
  const missingCapability = expected.get(result.codename);
  const listed = missingCapability !== undefined;
  const verdict: Verdict =
    result.outcome === 'skipped'
      ? 'skipped'
      : result.outcome === 'passed'
        ? listed
          ? 'unexpectedly-passing'
          : 'passed'
        : listed
          ? 'expected-failure'
          : 'failed';
  return listed ? { ...result, verdict, missingCapability } : { ...result, verdict };
}

export interface Totals {
  passed: number;
  failed: number;
  expectedFailures: number;
  unexpectedlyPassing: number;
  skipped: number;
}

export function totals(results: readonly JudgedResult[]): Totals {
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  const unexpectedlyPassing = count('unexpectedly-passing');
  const expectedFailures = count('expected-failure');
  return {
    passed: count('passed') + unexpectedlyPassing,
    failed: count('failed') + expectedFailures,
    expectedFailures,
    unexpectedlyPassing,
    skipped: count('skipped'),
  };
}

/** The summary table: one row per area, then the total. */
export function formatTable(results: readonly JudgedResult[]): string {
  const areas = [...new Set(results.map((r) => r.area))].sort() as Area[];
  const header = ['area', 'passed', 'failed', 'of which expected', 'skipped', 'total'];
  const row = (name: string, rs: readonly JudgedResult[]) => {
    const t = totals(rs);
    return [name, t.passed, t.failed, t.expectedFailures, t.skipped, rs.length].map(String);
  };
  const rows = [
    header,
    ...areas.map((a) =>
      row(
        a,
        results.filter((r) => r.area === a),
      ),
    ),
    row('total', results),
  ];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.slice(1, -1).map(line), rule, line(rows[rows.length - 1] ?? [])].join('\n');
}

/** The last line of every run. */
export function finalLine(results: readonly JudgedResult[]): string {
  const t = totals(results);
  return `${t.passed} passed, ${t.failed} failed`;
}
