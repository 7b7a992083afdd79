import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types/meta.ts';
import { createMemoryStore } from '../testing/memory-store.ts';
import { admin, newTestRegistry, statusOf } from '../testing/test-registry.ts';

const podBody = (name: string, extra: object = {}) => ({
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
  ...extra,
});

describe('scale', () => {
  it.each([
    ['deployments', 'apps', { selector: { matchLabels: { app: 'web' } } }, 'app=web'],
    [
      'replicasets',
      'apps',
      { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] } },
      'app=web,tier',
    ],
    ['statefulsets', 'apps', { selector: { matchLabels: { app: 'web' } } }, 'app=web'],
    ['replicationcontrollers', '', { selector: { app: 'web' } }, 'app=web'],
  ])('%s: reads Scale and writing it sets spec.replicas', async (plural, group, spec, selector) => {
    const t = await newTestRegistry();
    const def = t.def(plural, group);
    const template = {
      metadata: { labels: { app: 'web', tier: 'front' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    const created = await t.create(
      plural,
      { metadata: { name: 'w' }, spec: { replicas: 1, template, ...spec } },
      'default',
      group,
    );
    const scale = (await t.registry.get(def, 'default', 'w', { subresource: 'scale' }, admin)) as KubeObject;
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'w', uid: created.metadata.uid },
      spec: { replicas: 1 },
      status: { replicas: 0, selector },
    });
    const patched = await t.registry.patch(def, 'default', 'w', 'merge', { spec: { replicas: 3 } }, admin, {
      subresource: 'scale',
    });
    expect(patched.object).toMatchObject({ kind: 'Scale', spec: { replicas: 3 } });
    const parent = (await t.registry.get(def, 'default', 'w', {}, admin)) as KubeObject;
    expect((parent.spec as { replicas: number }).replicas).toBe(3);
    expect(parent.metadata.generation).toBe(2);
    const stale = { ...scale, spec: { replicas: 5 } };
    expect((await statusOf(t.registry.update(def, 'default', 'w', stale, admin, { subresource: 'scale' }))).code).toBe(
      409,
    );
    const negative = await statusOf(
      t.registry.patch(def, 'default', 'w', 'merge', { spec: { replicas: -1 } }, admin, { subresource: 'scale' }),
    );
    expect(negative.message).toBe(
      'Scale.autoscaling "w" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it("a Scale's resourceVersion is the parent's: a fresh one succeeds, one from before a status write is 409", async () => {
    const t = await newTestRegistry();
    const def = t.def('replicationcontrollers');
    const template = { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    await t.create('replicationcontrollers', {
      metadata: { name: 'w' },
      spec: { replicas: 1, selector: { app: 'w' }, template },
    });
    const scale = (await t.registry.get(def, 'default', 'w', { subresource: 'scale' }, admin)) as KubeObject;
    const parent = (await t.registry.get(def, 'default', 'w', {}, admin)) as KubeObject;
    expect(scale.metadata.resourceVersion).toBe(parent.metadata.resourceVersion);
    const scaled = await t.registry.update(def, 'default', 'w', { ...scale, spec: { replicas: 2 } }, admin, {
      subresource: 'scale',
    });
    expect(scaled.object.spec).toEqual({ replicas: 2 });
    // A controller's status write moves the resourceVersion on, as in kube; upstream e2e tests therefore
    // send the Scale with resourceVersion '' (unconditional) after reading it.
    await t.registry.patch(def, 'default', 'w', 'merge', { status: { replicas: 1 } }, admin, { subresource: 'status' });
    const stale = { ...scaled.object, spec: { replicas: 3 } };
    expect((await statusOf(t.registry.update(def, 'default', 'w', stale, admin, { subresource: 'scale' }))).code).toBe(
      409,
    );
    const unconditional = { ...stale, metadata: { ...stale.metadata, resourceVersion: '' } };
    const result = await t.registry.update(def, 'default', 'w', unconditional, admin, { subresource: 'scale' });
    expect(result.object.spec).toEqual({ replicas: 3 });
  });

  it('a Scale PUT without resourceVersion, or a PATCH, is retried when another writer gets in between read and write', async () => {
    const store = createMemoryStore();
    const t = await newTestRegistry({ store });
    const def = t.def('replicationcontrollers');
    const template = { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    await t.create('replicationcontrollers', {
      metadata: { name: 'w' },
      spec: { replicas: 1, selector: { app: 'w' }, template },
    });
    // The first compare-and-swap loses to a write that lands just before it, as a controller's would.
    const update = store.update.bind(store);
    let interleaved = false;
    store.update = async (key, value, expectModRevision) => {
      if (!interleaved) {
        interleaved = true;
        const current = await store.get(key);
        if (current.kv) await update(key, current.kv.value, current.kv.modRevision);
      }
      return update(key, value, expectModRevision);
    };
    const scale = (await t.registry.get(def, 'default', 'w', { subresource: 'scale' }, admin)) as KubeObject;
    const body = { ...scale, metadata: { ...scale.metadata, resourceVersion: undefined }, spec: { replicas: 2 } };
    const result = await t.registry.update(def, 'default', 'w', body, admin, { subresource: 'scale' });
    expect(interleaved).toBe(true);
    expect(result.object.spec).toEqual({ replicas: 2 });
    interleaved = false;
    const patched = await t.registry.patch(def, 'default', 'w', 'merge', { spec: { replicas: 4 } }, admin, {
      subresource: 'scale',
    });
    expect(interleaved).toBe(true);
    expect(patched.object.spec).toEqual({ replicas: 4 });
  });
});

describe('binding', () => {
  it('sets spec.nodeName once, answers 201 Success, and 409 when already bound', async () => {
    const t = await newTestRegistry();
    const def = t.def('pods');
    await t.create('pods', podBody('p'));
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'p' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
    };
    const result = await t.registry.createSubresource(def, 'default', 'p', 'binding', binding, admin);
    expect(result).toEqual({
      code: 201,
      object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
    });
    const bound = (await t.registry.get(def, 'default', 'p', {}, admin)) as KubeObject;
    expect((bound.spec as { nodeName: string }).nodeName).toBe('node-1');
    expect((bound.status as { conditions: unknown[] }).conditions).toEqual([
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-22T21:54:24Z' },
    ]);
    const again = await statusOf(
      t.registry.createSubresource(def, 'default', 'p', 'binding', { ...binding, target: { name: 'node-2' } }, admin),
    );
    expect(again).toMatchObject({
      code: 409,
      message: 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"',
    });
  });
});

describe('eviction', () => {
  async function runningPod() {
    const t = await newTestRegistry();
    const def = t.def('pods');
    await t.create('pods', podBody('p', { spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } }));
    await t.registry.patch(def, 'default', 'p', 'merge', { status: { phase: 'Running' } }, admin, {
      subresource: 'status',
    });
    return { t, def };
  }
  const eviction = {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'p', namespace: 'default' },
    deleteOptions: {},
  };

  it('is 429 when a matching budget allows no disruption', async () => {
    const { t, def } = await runningPod();
    const pdbDef = t.def('poddisruptionbudgets', 'policy');
    await t.create(
      'poddisruptionbudgets',
      { metadata: { name: 'pdb' }, spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 1 } },
      'default',
      'policy',
    );
    await t.registry.patch(
      pdbDef,
      'default',
      'pdb',
      'merge',
      { status: { disruptionsAllowed: 0, desiredHealthy: 1, currentHealthy: 1 } },
      admin,
      { subresource: 'status' },
    );
    const s = await statusOf(t.registry.createSubresource(def, 'default', 'p', 'eviction', eviction, admin));
    expect(s).toMatchObject({
      code: 429,
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
    });
    expect(s.causes).toEqual([
      { reason: 'DisruptionBudget', message: 'The disruption budget pdb needs 1 healthy pods and has 1 currently' },
    ]);
  });

  it('deletes gracefully and spends a disruption when allowed', async () => {
    const { t, def } = await runningPod();
    const pdbDef = t.def('poddisruptionbudgets', 'policy');
    await t.create(
      'poddisruptionbudgets',
      { metadata: { name: 'pdb' }, spec: { selector: { matchLabels: { app: 'web' } } } },
      'default',
      'policy',
    );
    await t.registry.patch(pdbDef, 'default', 'pdb', 'merge', { status: { disruptionsAllowed: 1 } }, admin, {
      subresource: 'status',
    });
    const result = await t.registry.createSubresource(def, 'default', 'p', 'eviction', eviction, admin);
    expect(result.code).toBe(201);
    const pod = (await t.registry.get(def, 'default', 'p', {}, admin)) as KubeObject;
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    const pdb = (await t.registry.get(pdbDef, 'default', 'pdb', {}, admin)) as KubeObject;
    expect((pdb.status as { disruptionsAllowed: number }).disruptionsAllowed).toBe(0);
  });

  it('spends a budget of one on only one of two concurrent evictions; the other is 429, not 409', async () => {
    const { t, def } = await runningPod();
    await t.create('pods', podBody('q', { spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'x' }] } }));
    await t.registry.patch(def, 'default', 'q', 'merge', { status: { phase: 'Running' } }, admin, {
      subresource: 'status',
    });
    const pdbDef = t.def('poddisruptionbudgets', 'policy');
    await t.create(
      'poddisruptionbudgets',
      { metadata: { name: 'pdb' }, spec: { selector: { matchLabels: { app: 'web' } } } },
      'default',
      'policy',
    );
    await t.registry.patch(pdbDef, 'default', 'pdb', 'merge', { status: { disruptionsAllowed: 1 } }, admin, {
      subresource: 'status',
    });
    const outcomes = await Promise.all(
      ['p', 'q'].map((name) =>
        t.registry
          .createSubresource(
            def,
            'default',
            name,
            'eviction',
            { ...eviction, metadata: { name, namespace: 'default' } },
            admin,
          )
          .then(
            (r) => r.code,
            async (err: unknown) => (await statusOf(Promise.reject(err))).code,
          ),
      ),
    );
    expect(outcomes.sort()).toEqual([201, 429]);
  });

  it('is 404 for a missing pod', async () => {
    const { t, def } = await runningPod();
    expect(
      (await statusOf(t.registry.createSubresource(def, 'default', 'nope', 'eviction', eviction, admin))).code,
    ).toBe(404);
  });
});

describe('serviceaccounts/token', () => {
  it('answers a TokenRequest from the issuer', async () => {
    const t = await newTestRegistry({
      issueServiceAccountToken: ({ serviceAccount, expirationSeconds }) =>
        `token-for-${serviceAccount.metadata.name}-${expirationSeconds}`,
    });
    await t.create('serviceaccounts', { metadata: { name: 'default' } });
    const result = await t.registry.createSubresource(
      t.def('serviceaccounts'),
      'default',
      'default',
      'token',
      { spec: {} },
      admin,
    );
    expect(result.code).toBe(201);
    expect(result.object).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 },
      status: { token: 'token-for-default-3600', expirationTimestamp: '2026-11-22T22:54:24Z' },
    });
  });

  it('is 503 without an issuer', async () => {
    const t = await newTestRegistry();
    await t.create('serviceaccounts', { metadata: { name: 'default' } });
    expect(
      (await statusOf(t.registry.createSubresource(t.def('serviceaccounts'), 'default', 'default', 'token', {}, admin)))
        .code,
    ).toBe(503);
  });
});

describe('reviews', () => {
  it('allow system:masters everything and echo the caller in SelfSubjectReview', async () => {
    const t = await newTestRegistry();
    const access = t.def('selfsubjectaccessreviews', 'authorization.k8s.io');
    const review = { spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } } };
    expect((await t.registry.create(access, undefined, review, admin)).object.status).toMatchObject({ allowed: true });
    const nobody = { user: { username: 'nobody', groups: ['system:authenticated'] } };
    expect((await t.registry.create(access, undefined, review, nobody)).object.status).toMatchObject({
      allowed: false,
    });
    const whoami = await t.registry.create(
      t.def('selfsubjectreviews', 'authentication.k8s.io'),
      undefined,
      { status: { userInfo: {} } },
      admin,
    );
    expect(whoami.object.status).toEqual({ userInfo: admin.user });
    expect((await statusOf(t.registry.list(access, undefined, {}, admin))).code).toBe(405);
  });
});
