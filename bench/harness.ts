/**
 * Shared shape of benchmark results: `npm run bench [scenario ...]` prints a table and writes
 * bench/results/<scenario>.json as {"scenario","node","cpus","metrics":[{name,value,unit,target,met}]}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target such as '>= 30000' or '<= 20'; null when only reported. */
  target: string | null;
  /** Whether value meets target; null when there is no target. */
  met: boolean | null;
}

export type Scenario = () => Promise<Metric[]>;

/** A metric with a target: `atLeast(30000)` or `atMost(20)`. */
export function metric(name: string, value: number, unit: string, target?: { min?: number; max?: number }): Metric {
  if (!target) return { name, value: round(value), unit, target: null, met: null };
  if (target.min !== undefined)
    return { name, value: round(value), unit, target: `>= ${target.min}`, met: value >= target.min };
  if (target.max !== undefined)
    return { name, value: round(value), unit, target: `<= ${target.max}`, met: value <= target.max };
  return { name, value: round(value), unit, target: null, met: null };
}

function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
}

export function percentile(sortedOrNot: number[], p: number): number {
  const s = [...sortedOrNot].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i] as number;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

export function writeResults(scenario: string, metrics: Metric[]): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${scenario}.json`);
  const body = { scenario, node: process.version, cpus: availableParallelism(), metrics };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

export function printTable(scenario: string, metrics: Metric[]): void {
  const rows = metrics.map((m) => [
    m.name,
    String(m.value),
    m.unit,
    m.target ?? '',
    m.met === null ? '' : m.met ? 'yes' : 'NO',
  ]);
  const header = ['metric', 'value', 'unit', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  console.log(`\n== ${scenario}`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}
