/**
 * The conformance suite: tests named by upstream codename, each reproducing one upstream e2e
 * conformance test through the public API only, so the same suite runs against wharf or any cluster.
 *
 * `defineConformanceSuite(connect)` binds the registered tests to a way of reaching a cluster and
 * returns something the runner (run.ts) or a vitest file can drive. Tests get a fresh namespace each
 * and must delete any cluster-scoped object they create (via `ctx.defer`).
 */
import type { KubeClient } from '../src/client/index.ts';
import type { RawApi } from './raw-api.ts';
import { runOne } from './run-one.ts';

export type Area = 'apimachinery' | 'apps' | 'core' | 'network-objects' | 'scheduling' | 'storage-objects' | 'auth';

/** Runs kubectl against the cluster under test; rejects on a non-zero exit unless `allowFailure`. */
export type Kubectl = (
  args: readonly string[],
  o?: { input?: string; allowFailure?: boolean },
) => Promise<KubectlResult>;
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What a test sees: the cluster, its own namespace, and helpers that clean up after it. */
export interface ConformanceContext {
  client: KubeClient;
  api: RawApi;
  namespace: string;
  /** Path of the kubeconfig for the cluster under test (for kubectl). */
  kubeconfigPath: string;
  kubectl: Kubectl;
  /** Aborted when the test times out; pass it to watches. */
  signal: AbortSignal;
  /** A DNS-1123 name unique to this run: `${prefix}-<random>`. */
  uniqueName(prefix: string): string;
  /** Runs after the test, last registered first, whether it passed or not. */
  defer(cleanup: () => Promise<unknown>): void;
  log(message: string): void;
}

export interface ConformanceTest {
  /** The upstream test name exactly as in conformance.yaml (and subset.tsv). */
  codename: string;
  area: Area;
  /** Capabilities the test exercises, the `needs` tags of subset.tsv. */
  needs: readonly string[];
  /** Default 60 s; the runner aborts `signal` and fails the test after it. */
  timeoutMs?: number;
  run(ctx: ConformanceContext): Promise<void>;
}

/** Identity function that keeps a test file's literal typed. */
export function conformanceTest(test: ConformanceTest): ConformanceTest {
  return test;
}

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface TestResult {
  codename: string;
  area: Area;
  outcome: Outcome;
  durationMs: number;
  /** Failure message, or the reason it was skipped. */
  message?: string;
}

/** How the suite reaches a cluster: one connection per run, a namespace per test. */
export interface Connection {
  client: KubeClient;
  api: RawApi;
  kubeconfigPath: string;
  kubectl: (namespace: string) => Kubectl;
  hasKubectl: boolean;
}

export interface ConformanceSuite {
  tests: readonly ConformanceTest[];
  runOne(test: ConformanceTest): Promise<TestResult>;
}

/**
 * Binds the tests to a cluster. `connect` is called once, lazily, so defining the suite costs nothing
 * until a test runs.
 */
export function defineConformanceSuite(connect: () => Connection, tests: readonly ConformanceTest[]): ConformanceSuite {
  let connection: Connection | undefined;
  return {
    tests,
    runOne: (test) => {
      connection ??= connect();
      return runOne(connection, test);
    },
  };
}
