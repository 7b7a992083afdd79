/**
 * A worker entry that runs a TypeScript module: `new Worker(tsWorker, { workerData: { tsEntry, ... } })`.
 *
 * Node 20 cannot start a Worker on a .ts file, and `execArgv: ['--import', 'tsx']` does not help: ESM
 * hooks passed to a Worker through execArgv are not applied on Node 20 (nodejs/node#47747,
 * privatenumber/tsx#354), so the worker still fails with ERR_UNKNOWN_FILE_EXTENSION, under vitest and
 * under the tsx CLI alike. Plain JavaScript loads without hooks, and tsx's tsImport registers its loader
 * from inside the worker, for this import and everything it imports.
 */
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.tsEntry, import.meta.url);
