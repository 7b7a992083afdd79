import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { admin, dryRun, newTestRegistry, statusOf, workloadBody } from './testing/test-registry.ts';

const deployment = (replicas = 1) => ({
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
  status: { replicas: 99 },
});

async function setup() {
  const t = await newTestRegistry();
  const def = t.def('deployments', 'apps');
  const created = await t.create('deployments', deployment(), 'default', 'apps');
  return { t, def, created };
}

describe('generation', () => {
  it('starts at 1, defaults the spec and drops status sent on create', async () => {
    const { created } = await setup();
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toBeUndefined();
    expect(created.spec).toMatchObject({
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate' },
    });
  });

  it.each([
    ['a spec change', (d: KubeObject) => ({ ...d, spec: { ...(d.spec as object), replicas: 3 } }), 2],
    ['a label change', (d: KubeObject) => ({ ...d, metadata: { ...d.metadata, labels: { app: 'web', x: 'y' } } }), 1],
    ['a status change on the main resource', (d: KubeObject) => ({ ...d, status: { replicas: 5 } }), 1],
  ])('after %s is %d', async (_what, change, generation) => {
    const { t, def, created } = await setup();
    const result = await t.registry.update(def, 'default', 'web', change(created), admin);
    expect(result.object.metadata.generation).toBe(generation);
  });

  it('does not move on status writes', async () => {
    const { t, def, created } = await setup();
    const result = await t.registry.update(def, 'default', 'web', { ...created, status: { replicas: 1 } }, admin, {
      subresource: 'status',
    });
    expect(result.object.metadata.generation).toBe(1);
    expect(result.object.status).toEqual({ replicas: 1 });
  });
});

describe('status split', () => {
  it('main-resource writes keep the stored status; /status writes keep the stored spec and metadata', async () => {
    const { t, def, created } = await setup();
    const withStatus = await t.registry.update(def, 'default', 'web', { ...created, status: { replicas: 2 } }, admin, {
      subresource: 'status',
    });
    const main = await t.registry.update(
      def,
      'default',
      'web',
      { ...withStatus.object, status: { replicas: 7 } },
      admin,
    );
    expect(main.object.status).toEqual({ replicas: 2 });
    const status = await t.registry.update(
      def,
      'default',
      'web',
      {
        ...main.object,
        metadata: { ...main.object.metadata, labels: { changed: 'yes' } },
        spec: { replicas: 9 },
        status: { replicas: 4 },
      },
      admin,
      { subresource: 'status' },
    );
    expect((status.object.spec as { replicas: number }).replicas).toBe(1);
    expect(status.object.metadata.labels).toEqual({ app: 'web' });
    expect(status.object.status).toEqual({ replicas: 4 });
  });

  it('patches of /status change only status', async () => {
    const { t, def } = await setup();
    const result = await t.registry.patch(
      def,
      'default',
      'web',
      'merge',
      { spec: { replicas: 5 }, status: { readyReplicas: 1 } },
      admin,
      { subresource: 'status' },
    );
    expect((result.object.spec as { replicas: number }).replicas).toBe(1);
    expect(result.object.status).toEqual({ readyReplicas: 1 });
  });
});

describe('patch', () => {
  it('a patch that changes nothing returns the object and does not write', async () => {
    const { t, def, created } = await setup();
    const before = await t.store.currentRevision();
    const result = await t.registry.patch(def, 'default', 'web', 'merge', { spec: { replicas: 1 } }, admin);
    expect(result.object.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(await t.store.currentRevision()).toBe(before);
  });

  it('a resourceVersion in the patch is a precondition', async () => {
    const { t, def } = await setup();
    const s = await statusOf(
      t.registry.patch(
        def,
        'default',
        'web',
        'merge',
        { metadata: { resourceVersion: '1' }, spec: { replicas: 2 } },
        admin,
      ),
    );
    expect(s.code).toBe(409);
  });

  it('a JSON patch that cannot apply is 422', async () => {
    const { t, def } = await setup();
    const s = await statusOf(
      t.registry.patch(def, 'default', 'web', 'json', [{ op: 'remove', path: '/spec/nothing' }], admin),
    );
    expect(s.code).toBe(422);
  });

  it('apply patches need a field manager', async () => {
    const { t, def } = await setup();
    expect((await statusOf(t.registry.patch(def, 'default', 'web', 'apply', {}, admin))).code).toBe(422);
  });
});

describe('dryRun', () => {
  it('leaves no trace: no object, no revision', async () => {
    const t = await newTestRegistry();
    const before = await t.store.currentRevision();
    const def = t.def('configmaps');
    const result = await t.registry.create(def, 'default', { metadata: { name: 'dry' } }, dryRun);
    expect(result.object.metadata.uid).toBeDefined();
    expect(result.created).toBe(true);
    expect(await t.store.currentRevision()).toBe(before);
    expect((await statusOf(t.registry.get(def, 'default', 'dry', {}, admin))).code).toBe(404);
    await t.create('configmaps', { metadata: { name: 'wet' }, data: { a: '1' } });
    const after = await t.store.currentRevision();
    const updated = await t.registry.patch(def, 'default', 'wet', 'merge', { data: { a: '2' } }, dryRun);
    expect(updated.object.data).toEqual({ a: '2' });
    await t.registry.delete(def, 'default', 'wet', {}, dryRun);
    expect(await t.store.currentRevision()).toBe(after);
  });
});

describe('apps/v1 selector rules', () => {
  it('the selector must match the template labels, and cannot change', async () => {
    const t = await newTestRegistry();
    const def = t.def('deployments', 'apps');
    const mismatch = {
      ...workloadBody('m'),
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    };
    expect((await statusOf(t.create('deployments', mismatch, 'default', 'apps'))).message).toContain(
      '`selector` does not match template `labels`',
    );
    await t.create('deployments', workloadBody('d'), 'default', 'apps');
    const changed = await statusOf(
      t.registry.patch(
        def,
        'default',
        'd',
        'merge',
        { spec: { selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } } } } },
        admin,
      ),
    );
    expect(changed.message).toContain('spec.selector: Invalid value');
    expect(changed.message).toContain('field is immutable');
  });
});

describe('immutable config data', () => {
  it('refuses data changes of immutable configmaps and secrets; secrets default to Opaque', async () => {
    const t = await newTestRegistry();
    await t.create('configmaps', { metadata: { name: 'c' }, data: { a: '1' }, immutable: true });
    const s = await statusOf(
      t.registry.patch(t.def('configmaps'), 'default', 'c', 'merge', { data: { a: '2' } }, admin),
    );
    expect(s.message).toBe('ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    const secret = await t.create('secrets', { metadata: { name: 's' }, data: { a: 'MQ==' } });
    expect(secret.type).toBe('Opaque');
    expect(
      (
        await statusOf(
          t.registry.patch(t.def('secrets'), 'default', 's', 'merge', { type: 'kubernetes.io/tls' }, admin),
        )
      ).code,
    ).toBe(422);
  });
});
