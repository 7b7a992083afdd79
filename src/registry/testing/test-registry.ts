/** Test helpers: a registry on a fresh in-memory store with a fixed clock, and shorthand lookups. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { isStatusError } from '../../status.ts';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import type { Store } from '../../storage/types.ts';
import type { KubeObject } from '../../types/meta.ts';
import { createRegistry, type RegistryOptions, type WharfRegistry } from '../registry.ts';
import type { RequestContext, ResourceDef } from '../types.ts';

async function temporaryEmbeddedStore(): Promise<Store> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wharf-registry-'));
  const store = await createEmbeddedStore({ dataDir });
  onTestFinished(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return store;
}

export const admin: RequestContext = {
  user: { username: 'admin', groups: ['system:masters', 'system:authenticated'] },
};
export const dryRun: RequestContext = { ...admin, dryRun: true };

/** 2026-11-22T21:54:24Z */
export const fixedNow = Date.UTC(2026, 10, 22, 21, 54, 24, 500);

export interface TestRegistry {
  registry: WharfRegistry;
  store: Store;
  def(plural: string, group?: string, version?: string): ResourceDef;
  create(plural: string, body: object, namespace?: string, group?: string): Promise<KubeObject>;
  clock: { now: number };
}

/**
 * A registry on the embedded store in a temp dir removed when the test finishes (`store` in options
 * reuses one, e.g. to test a restart). `createMemoryStore()` passed as store gives the in-memory one.
 */
export async function newTestRegistry(options: Partial<RegistryOptions> = {}): Promise<TestRegistry> {
  const store = options.store ?? (await temporaryEmbeddedStore());
  const clock = { now: fixedNow };
  let uid = 0;
  const registry = await createRegistry({
    store,
    clock: () => clock.now,
    newUID: () => `uid-${++uid}`,
    bookmarkIntervalMs: 20,
    futureRevisionWaitMs: 50,
    ...options,
  });
  const versions: Record<string, string> = { '': 'v1', apps: 'v1', batch: 'v1', policy: 'v1', autoscaling: 'v2' };
  const def = (plural: string, group = '', version?: string): ResourceDef => {
    const found = registry.resources.lookup(group, version ?? versions[group] ?? 'v1', plural);
    if (!found) throw new Error(`no resource ${group}/${plural}`);
    return found;
  };
  return {
    registry,
    store,
    clock,
    def,
    async create(plural, body, namespace = 'default', group = '') {
      const d = def(plural, group);
      return (await registry.create(d, d.namespaced ? namespace : undefined, body, admin)).object;
    },
  };
}

/** The Status a rejected call carries (fails the test if it resolves or throws something else). */
export async function statusOf(
  promise: Promise<unknown>,
): Promise<{ code: number; reason: string; message: string; causes: unknown[] }> {
  try {
    await promise;
  } catch (err) {
    if (isStatusError(err)) {
      return {
        code: err.code,
        reason: err.status.reason ?? '',
        message: err.status.message ?? '',
        causes: err.status.details?.causes ?? [],
      };
    }
    throw err;
  }
  throw new Error('expected a StatusError');
}

/** A pod body with one nginx container named c, `spec` merged over it. */
export function podBody(name: string, spec: object = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

/** A minimal valid apps/v1 workload body: selector and template labels agree. */
export function workloadBody(name: string, labels: Record<string, string> = { app: name }, spec: object = {}): object {
  return {
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}
