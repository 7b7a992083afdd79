import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../storage/embedded/index.ts';
import type { Store } from '../../storage/types.ts';
import type { KubeObject } from '../../types/meta.ts';
import { createRegistry, type WharfRegistry } from '../registry.ts';
import { podBody } from '../testing/test-registry.ts';

const admin = { user: { username: 'admin', groups: ['system:masters'] } };

describe('Priority admission', () => {
  let dir: string;
  let store: Store;
  let registry: WharfRegistry;
  const pods = () => registry.resources.lookup('', 'v1', 'pods')!;
  const classes = () => registry.resources.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')!;
  const create = async (name: string, spec?: Record<string, unknown>) =>
    (await registry.create(pods(), 'default', podBody(name, spec), admin)).object as KubeObject & {
      spec: { priority?: number; preemptionPolicy?: string; priorityClassName?: string };
    };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wharf-priority-'));
    store = await createEmbeddedStore({ dataDir: dir });
    registry = await createRegistry({ store });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves priorityClassName to its value and preemption policy', async () => {
    await registry.create(
      classes(),
      undefined,
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'high' },
        value: 1000,
        preemptionPolicy: 'Never',
      },
      admin,
    );
    const p = await create('a', { priorityClassName: 'high' });
    expect(p.spec.priority).toBe(1000);
    expect(p.spec.preemptionPolicy).toBe('Never');
  });

  it('knows the system classes and defaults to 0 without a class', async () => {
    expect((await create('b', { priorityClassName: 'system-node-critical' })).spec.priority).toBe(2_000_001_000);
    const plain = await create('c');
    expect(plain.spec.priority).toBe(0);
    expect(plain.spec.preemptionPolicy).toBe('PreemptLowerPriority');
  });

  it('applies the globalDefault class', async () => {
    await registry.create(
      classes(),
      undefined,
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'everyone' },
        value: 7,
        globalDefault: true,
      },
      admin,
    );
    const p = await create('d');
    expect(p.spec).toMatchObject({ priority: 7, priorityClassName: 'everyone' });
  });

  it('refuses unknown classes and a hand-set priority', async () => {
    await expect(create('e', { priorityClassName: 'nope' })).rejects.toMatchObject({
      status: { code: 403, message: 'pods "e" is forbidden: no PriorityClass with name nope was found' },
    });
    await expect(create('f', { priority: 5 })).rejects.toMatchObject({ status: { code: 403 } });
  });
});
