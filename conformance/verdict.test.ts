import { describe, expect, it } from 'vitest';
import { coverageRows } from './coverage.ts';
import { parseExpectedFailures } from './expected-failures.ts';
import { toJunitXml } from './junit.ts';
import type { TestResult } from './suite.ts';
import { finalLine, formatTable, judge } from './verdict.ts';

const result = (codename: string, outcome: TestResult['outcome'], area: TestResult['area'] = 'core'): TestResult => ({
  codename,
  area,
  outcome,
  durationMs: 10,
  ...(outcome === 'passed' ? {} : { message: 'boom <&>' }),
});
const expected = parseExpectedFailures('codename\tcapability_missing\nlisted-fail\tcrd openapi\nlisted-pass\tgc\n');

describe('judging results against expected-failures.tsv', () => {
  const judged = [
    judge(result('plain-pass', 'passed'), expected),
    judge(result('plain-fail', 'failed', 'apps'), expected),
    judge(result('listed-fail', 'failed'), expected),
    judge(result('listed-pass', 'passed', 'apps'), expected),
    judge(result('no-kubectl', 'skipped'), expected),
  ];

  it('separates expected failures, unexpected passes and real failures', () => {
    expect(judged.map((r) => r.verdict)).toEqual([
      'passed',
      'failed',
      'expected-failure',
      'unexpectedly-passing',
      'skipped',
    ]);
    expect(judged[2]?.missingCapability).toBe('crd openapi');
  });

  it('counts expected failures as failed and unexpected passes as passed in the final line', () => {
    expect(finalLine(judged)).toBe('2 passed, 2 failed');
  });

  it('prints one table row per area and a total', () => {
    const lines = formatTable(judged).split('\n');
    expect(lines[0]).toMatch(/^area\s+passed\s+failed\s+of which expected\s+skipped\s+total$/);
    expect(lines.find((l) => l.startsWith('apps'))).toMatch(/apps\s+1\s+1\s+0\s+0\s+2$/);
    expect(lines.at(-1)).toMatch(/total\s+2\s+2\s+1\s+1\s+5$/);
  });

  it('writes escaped JUnit XML with failures, expected failures and skips', () => {
    const xml = toJunitXml(judged);
    expect(xml).toContain('<testsuite name="apps" tests="2" failures="1" skipped="0"');
    expect(xml).toContain('type="expected failure: crd openapi"');
    expect(xml).toContain('boom &lt;&amp;&gt;');
    expect(xml).toContain('<skipped message="boom &lt;&amp;&gt;"/>');
  });

  it('maps every subset codename to a coverage status', () => {
    const subset = ['plain-pass', 'listed-fail', 'no-kubectl', 'defined-only', 'absent'].map((codename) => ({
      codename,
      area: 'core',
      needs: 'crud',
    }));
    const defined = new Set(['plain-pass', 'listed-fail', 'no-kubectl', 'defined-only']);
    const rows = coverageRows(subset, defined, new Map(judged.map((r) => [r.codename, r])), expected);
    expect(rows.map((r) => [r.status, r.missing_capability])).toEqual([
      ['passing', ''],
      ['failing', 'crd openapi'],
      ['skipped', ''],
      ['written-not-run', ''],
      ['not-written', ''],
    ]);
  });

  it('refuses an expected failure that names no capability', () => {
    expect(() => parseExpectedFailures('codename\tcapability_missing\nx\t\n')).toThrow(/names no missing capability/);
  });
});
