/**
 * `npm run bench [scenario ...]`: runs bench/<scenario>.bench.ts (all of them when none is named).
 * Each exports `default` as a Scenario returning metrics.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printTable, type Scenario, writeResults } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !available.includes(a));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const scenario of asked.length > 0 ? asked : available) {
  const mod = (await import(pathToFileURL(`${here}/${scenario}.bench.ts`).href)) as { default: Scenario };
  const metrics = await mod.default();
  printTable(scenario, metrics);
  console.log(`wrote ${writeResults(scenario, metrics)}`);
  if (metrics.some((m) => m.met === false)) failed = true;
}
if (failed) console.log('\nsome targets were not met (see tables above)');
// Scenarios leave in-process components (registries, informers, timers) running; the results are written.
process.exit(0);
