/** Every conformance test, in the order the runner starts them. */
import type { ConformanceTest } from '../suite.ts';
import { apiOperationsTests } from './api-operations-table.ts';

export const allTests: readonly ConformanceTest[] = [...apiOperationsTests];
