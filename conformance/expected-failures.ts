/** expected-failures.tsv: codename → the capability wharf lacks, the reason the test fails today. */
import { parseTsv } from './tsv.ts';

export function parseExpectedFailures(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const row of parseTsv(text)) {
    const codename = row.codename?.trim();
    if (!codename) continue;
    const capability = row.capability_missing?.trim();
    if (!capability) throw new Error(`expected-failures.tsv: ${codename} names no missing capability`);
    map.set(codename, capability);
  }
  return map;
}
