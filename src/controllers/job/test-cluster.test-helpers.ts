/**
 * Test helper for the workload controllers: a registry on an embedded store in a temp dir, the
 * scheduler and simulated nodes, all on one fake clock, plus the controllers under test. `eventually`
 * advances simulated time in steps until a check passes; nothing depends on wall-clock time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalClient } from '../../client/local-client.ts';
import type { KubeClient } from '../../client/types.ts';
import { startSimulatedNodes } from '../../nodes/index.ts';
import { createRegistry } from '../../registry/index.ts';
import { startScheduler } from '../../scheduler/scheduler.ts';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import { createFakeClock, type FakeClock } from '../runtime/fake-clock.ts';
import { createInformers, type Informers } from '../runtime/informer-factory.ts';
import { type Controller, runController } from '../runtime/run-controller.ts';

export interface TestCluster {
  client: KubeClient;
  clock: FakeClock;
  /** Advances simulated time by `stepMs` between attempts until `check` passes. */
  eventually<T>(check: () => Promise<T>, o?: { stepMs?: number; steps?: number }): Promise<T>;
  stop(): Promise<void>;
}

export type ControllerFactory = (d: { client: KubeClient; informers: Informers; clock: FakeClock }) => Controller;

export async function startTestCluster(o: {
  controllers: ControllerFactory[];
  nodes?: number;
  start?: string;
}): Promise<TestCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wharf-workload-'));
  const store = await createEmbeddedStore({ dataDir });
  const clock = createFakeClock(Date.parse(o.start ?? '2026-03-01T10:00:00Z'));
  const registry = await createRegistry({ store, clock: () => clock.now() });
  const client = createLocalClient(
    registry,
    { username: 'system:admin', groups: ['system:masters'] },
    { now: () => clock.now() },
  );
  const signal = new AbortController();
  const informers = createInformers(client, { clock });
  const controllers = o.controllers.map((make) => make({ client, informers, clock }));
  informers.start(signal.signal);
  await informers.waitForSync(signal.signal);
  const running = controllers.map((c) => runController({ ...c, onError: () => {} }));
  const scheduler = o.nodes === 0 ? undefined : await startScheduler({ client, clock: () => clock.now() });
  const nodes =
    o.nodes === 0
      ? undefined
      : await startSimulatedNodes({ client, count: o.nodes ?? 3, serverVersion: 'v1.35.0', clock });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  return {
    client,
    clock,
    async eventually(check, { stepMs = 500, steps = 600 } = {}) {
      let last: unknown;
      for (let i = 0; i < steps; i++) {
        try {
          return await check();
        } catch (err) {
          last = err;
        }
        await settle();
        await clock.advance(stepMs);
      }
      throw last;
    },
    async stop() {
      await nodes?.stop();
      await scheduler?.stop();
      await Promise.all(running.map((r) => r.stop()));
      signal.abort();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
