/**
 * Runs one conformance test: a fresh namespace, a deadline, cleanups in reverse order, and the
 * namespace deleted afterwards (without waiting: namespace deletion is the cluster's job, and
 * waiting for it would serialise the run).
 */
import { randomBytes } from 'node:crypto';
import { resources } from '../src/client/index.ts';
import type { ConformanceContext, ConformanceTest, Connection, TestResult } from './suite.ts';

const defaultTimeoutMs = 60_000;

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function runOne(connection: Connection, test: ConformanceTest): Promise<TestResult> {
  const started = Date.now();
  const base = { codename: test.codename, area: test.area };
  if (test.needs.includes('kubectl') && !connection.hasKubectl) {
    return { ...base, outcome: 'skipped', durationMs: 0, message: 'kubectl is not on PATH' };
  }
  const controller = new AbortController();
  const cleanups: Array<() => Promise<unknown>> = [];
  const logs: string[] = [];
  let namespace = '';
  try {
    namespace = await createNamespace(connection);
    const ctx: ConformanceContext = {
      client: connection.client,
      api: connection.api,
      namespace,
      kubeconfigPath: connection.kubeconfigPath,
      kubectl: connection.kubectl(namespace),
      signal: controller.signal,
      uniqueName,
      defer: (cleanup) => {
        cleanups.push(cleanup);
      },
      log: (message) => {
        logs.push(message);
      },
    };
    await withDeadline(test.run(ctx), test.timeoutMs ?? defaultTimeoutMs, controller);
    return { ...base, outcome: 'passed', durationMs: Date.now() - started };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const detail = logs.length > 0 ? `${message}\nlog:\n${logs.join('\n')}` : message;
    return { ...base, outcome: 'failed', durationMs: Date.now() - started, message: detail };
  } finally {
    controller.abort();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (namespace)
      await connection.client
        .resource(resources.namespaces)
        .delete(namespace)
        .catch(() => undefined);
  }
}

async function createNamespace(connection: Connection): Promise<string> {
  const created = await connection.client.resource(resources.namespaces).create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { generateName: 'conformance-', labels: { 'e2e-framework': 'wharf-conformance' } },
  });
  const name = created.metadata.name;
  if (!name) throw new Error('namespace create returned no name');
  return name;
}

async function withDeadline(work: Promise<void>, timeoutMs: number, controller: AbortController): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
