/** JUnit XML, one testsuite per area, as CI dashboards read it. */
import type { JudgedResult } from './verdict.ts';

// XML 1.0 cannot carry control characters other than tab, newline and carriage return, even escaped.
const isXmlChar = (c: string) => c.charCodeAt(0) >= 0x20 || c === '\t' || c === '\n' || c === '\r';
const escapeXml = (s: string) =>
  [...s]
    .filter(isXmlChar)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function toJunitXml(results: readonly JudgedResult[]): string {
  const areas = [...new Set(results.map((r) => r.area))].sort();
  const suites = areas.map((area) => {
    const rs = results.filter((r) => r.area === area);
    const failures = rs.filter((r) => r.verdict === 'failed' || r.verdict === 'expected-failure').length;
    const skipped = rs.filter((r) => r.verdict === 'skipped').length;
    const time = (rs.reduce((sum, r) => sum + r.durationMs, 0) / 1000).toFixed(3);
    const cases = rs.map((r) => {
      const open = `    <testcase classname="conformance.${escapeXml(area)}" name="${escapeXml(r.codename)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      const message = escapeXml(r.message ?? '');
      switch (r.verdict) {
        case 'passed':
          return `${open}/>`;
        case 'unexpectedly-passing':
          return `${open}>\n      <system-out>unexpectedly passing: listed in expected-failures.tsv (${escapeXml(r.missingCapability ?? '')})</system-out>\n    </testcase>`;
        case 'skipped':
          return `${open}>\n      <skipped message="${message}"/>\n    </testcase>`;
        case 'expected-failure':
        case 'failed':
          break;
      }
      const type = r.verdict === 'expected-failure' ? `expected failure: ${r.missingCapability ?? ''}` : 'failure';
      const firstLine = escapeXml((r.message ?? '').split('\n')[0] ?? '');
      return `${open}>\n      <failure type="${escapeXml(type)}" message="${firstLine}">${message}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${escapeXml(area)}" tests="${rs.length}" failures="${failures}" skipped="${skipped}" time="${time}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wharf-conformance">\n${suites.join('\n')}\n</testsuites>\n`;
}
