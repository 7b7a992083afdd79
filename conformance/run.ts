/**
 * `npm run conformance` — runs the conformance subset against a freshly started embedded wharf, or
 * with `--kubeconfig K` against any cluster. Prints one line per test, a table by area, writes
 * results/junit.xml and results/last-run.json, and ends with `N passed, M failed`.
 *
 * Flags: --kubeconfig PATH, --concurrency N (default 8), --filter TEXT (codename substring),
 * --write-coverage (regenerate coverage.tsv), --no-expected-failures (judge every failure as real,
 * e.g. against a real cluster), --nodes N (embedded wharf only), --retries N (default 1: a test that
 * fails unexpectedly runs again, alone, up to N times, as ginkgo's --flake-attempts does; minute-long
 * tests can miss their deadline when the machine is loaded, and a pass on retry is reported as such).
 * Exit code 1 when a test fails that expected-failures.tsv does not list.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from './connection.ts';
import { coverageColumns, coverageRows, coverageSummary } from './coverage.ts';
import { type EmbeddedWharf, startEmbeddedWharf } from './embedded-wharf.ts';
import { parseExpectedFailures } from './expected-failures.ts';
import { toJunitXml } from './junit.ts';
import { runConcurrently } from './pool.ts';
import { checkAgainstSubset, readSubset } from './subset.ts';
import { defineConformanceSuite } from './suite.ts';
import { allTests } from './tests/index.ts';
import { formatTsv } from './tsv.ts';
import { finalLine, formatTable, type JudgedResult, judge } from './verdict.ts';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    filter: { type: 'string' },
    'write-coverage': { type: 'boolean', default: false },
    'no-expected-failures': { type: 'boolean', default: false },
    nodes: { type: 'string' },
    retries: { type: 'string', default: '1' },
  },
});

const subset = readSubset(join(here, 'subset.tsv'));
const problems = checkAgainstSubset(allTests, subset);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(2);
}
const expected = values['no-expected-failures']
  ? new Map<string, string>()
  : parseExpectedFailures(readFileSync(join(here, 'expected-failures.tsv'), 'utf8'));
const defined = new Set(allTests.map((t) => t.codename));
for (const codename of expected.keys()) {
  if (!defined.has(codename)) console.warn(`expected-failures.tsv lists a test that is not written: ${codename}`);
}
const selected = values.filter ? allTests.filter((t) => t.codename.includes(values.filter ?? '')) : allTests;

const workDir = mkdtempSync(join(tmpdir(), 'wharf-conformance-'));
let wharf: EmbeddedWharf | undefined;
const stopAll = async () => {
  await wharf?.stop();
  rmSync(workDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

try {
  let kubeconfigPath = values.kubeconfig ? resolve(values.kubeconfig) : undefined;
  if (!kubeconfigPath) {
    const started = Date.now();
    wharf = await startEmbeddedWharf(workDir, values.nodes ? { nodes: Number(values.nodes) } : {});
    kubeconfigPath = wharf.kubeconfigPath;
    console.log(`embedded wharf ready in ${Date.now() - started} ms`);
  }
  const path = kubeconfigPath;
  const suite = defineConformanceSuite(() => connect(path, { cacheDir: workDir }), selected);
  console.log(`running ${selected.length} conformance tests, ${values.concurrency} at a time`);
  const started = Date.now();
  const results: JudgedResult[] = await runConcurrently(selected, Number(values.concurrency), async (test) => {
    const result = judge(await suite.runOne(test), expected);
    printResult(result);
    return result;
  });
  for (let attempt = 1; attempt <= Number(values.retries); attempt++) {
    const again = results.flatMap((r, i) => (r.verdict === 'failed' ? [i] : []));
    if (again.length === 0) break;
    console.log(`\nretrying ${again.length} failed test(s) one at a time (attempt ${attempt + 1})`);
    for (const i of again) {
      const test = selected[i];
      if (test === undefined) continue;
      const result = judge(await suite.runOne(test), expected);
      printResult(result);
      if (result.verdict === 'passed') console.log(`        (passed on attempt ${attempt + 1})`);
      results[i] = result;
    }
  }
  console.log(`\nfinished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  writeResults(results);
  const unexpected = results.filter((r) => r.verdict === 'failed');
  const xpass = results.filter((r) => r.verdict === 'unexpectedly-passing');
  console.log(formatTable(results));
  if (xpass.length > 0) {
    console.log(
      `\nunexpectedly passing (remove from expected-failures.tsv):\n${xpass.map((r) => `  ${r.codename}`).join('\n')}`,
    );
  }
  if (unexpected.length > 0) {
    console.log(
      `\nfailed and not listed in expected-failures.tsv:\n${unexpected.map((r) => `  ${r.codename}`).join('\n')}`,
    );
  }
  const expectedCount = results.filter((r) => r.verdict === 'expected-failure').length;
  console.log(`\n${expectedCount} of the failures are expected (expected-failures.tsv), ${unexpected.length} are not`);
  console.log(finalLine(results));
  process.exitCode = unexpected.length > 0 ? 1 : 0;
} finally {
  await stopAll();
}

function printResult(r: JudgedResult): void {
  const label = {
    passed: 'PASS ',
    'unexpectedly-passing': 'XPASS',
    'expected-failure': 'XFAIL',
    failed: 'FAIL ',
    skipped: 'SKIP ',
  }[r.verdict];
  const why = r.verdict === 'expected-failure' ? ` [missing: ${r.missingCapability}]` : '';
  console.log(`${label} ${(r.durationMs / 1000).toFixed(1).padStart(5)}s  ${r.codename}${why}`);
  if (r.message && r.verdict !== 'passed')
    console.log(`        ${r.message.split('\n').slice(0, 6).join('\n        ')}`);
}

function writeResults(results: readonly JudgedResult[]): void {
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'junit.xml'), toJunitXml(results));
  // Merge over the previous run so a filtered run does not forget the rest.
  const lastPath = join(resultsDir, 'last-run.json');
  let previous: Record<string, JudgedResult> = {};
  try {
    previous = JSON.parse(readFileSync(lastPath, 'utf8')) as Record<string, JudgedResult>;
  } catch {
    previous = {};
  }
  const merged = { ...previous, ...Object.fromEntries(results.map((r) => [r.codename, r])) };
  writeFileSync(lastPath, `${JSON.stringify(merged, null, 1)}\n`);
  if (values['write-coverage']) {
    const rows = coverageRows(subset, defined, new Map(Object.entries(merged)), expected);
    writeFileSync(join(here, 'coverage.tsv'), formatTsv(coverageColumns, rows));
    console.log(coverageSummary(rows));
  }
}
