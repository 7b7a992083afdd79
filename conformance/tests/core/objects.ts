/** test/e2e/common/node/{configmap,secrets,pods,podtemplates}.go and architecture/conformance.go: API-side checks. */
import { resources } from '../../../src/client/index.ts';
import { isStatusError } from '../../../src/status.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectStatus } from '../../helpers/expect-status.ts';
import { configMap, object, pod, podTemplate, secret } from '../../helpers/objects.ts';
import { statusOf, waitForRunningPods } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

async function immutableChecks(ctx: ConformanceContext, kind: 'ConfigMap' | 'Secret') {
  const ref = kind === 'ConfigMap' ? resources.configMaps : resources.secrets;
  const client = ctx.client.resource(ref);
  const build = kind === 'ConfigMap' ? configMap : secret;
  const created = await client.create({
    ...build('immutable', { namespace: ctx.namespace, data: { data: 'value' } }),
    immutable: true,
  });
  const changed = structuredClone(created);
  changed.data = kind === 'ConfigMap' ? { data: 'changed' } : { data: Buffer.from('changed').toString('base64') };
  await expectStatus(client.update(changed), 422, 'field is immutable when `immutable` is set');
  const mutable = structuredClone(created);
  mutable.immutable = false;
  await expectStatus(client.update(mutable), 422, 'field is immutable when `immutable` is set');
  const relabelled = await retryOnConflict(async () => {
    const current = await client.get('immutable', ctx.namespace);
    current.metadata.labels = { ...current.metadata.labels, label1: 'value1' };
    return client.update(current);
  });
  assert.equal(relabelled.metadata.labels?.label1, 'value1', 'metadata stays mutable');
  await client.delete('immutable', ctx.namespace);
  await client.create({
    ...build('immutable', { namespace: ctx.namespace, data: { data: 'other' } }),
    immutable: true,
  });
}

export const coreObjectTests = [
  conformanceTest({
    codename: '[sig-node] ConfigMap should fail to create ConfigMap with empty key [Conformance]',
    area: 'core',
    needs: ['field-validation'],
    async run(ctx) {
      await expectStatus(
        ctx.client
          .resource(resources.configMaps)
          .create(configMap('empty-key', { namespace: ctx.namespace, data: { '': 'value' } })),
        422,
      );
    },
  }),
  conformanceTest({
    codename: '[sig-node] Secrets should fail to create secret due to empty secret key [Conformance]',
    area: 'core',
    needs: ['field-validation'],
    async run(ctx) {
      await expectStatus(
        ctx.client
          .resource(resources.secrets)
          .create(secret('empty-key', { namespace: ctx.namespace, data: { '': 'value' } })),
        422,
      );
    },
  }),
  conformanceTest({
    codename: '[sig-storage] ConfigMap should be immutable if `immutable` field is set [Conformance]',
    area: 'core',
    needs: ['field-validation', 'crud'],
    run: (ctx) => immutableChecks(ctx, 'ConfigMap'),
  }),
  conformanceTest({
    codename: '[sig-storage] Secrets should be immutable if `immutable` field is set [Conformance]',
    area: 'core',
    needs: ['field-validation', 'crud'],
    run: (ctx) => immutableChecks(ctx, 'Secret'),
  }),
  conformanceTest({
    codename: '[sig-node] PodTemplates should replace a pod template [Conformance]',
    area: 'core',
    needs: ['crud'],
    async run(ctx) {
      const ref = { group: '', version: 'v1', kind: 'PodTemplate', plural: 'podtemplates', namespaced: true };
      const client = ctx.client.resource(ref);
      await client.create(
        object(
          'v1',
          'PodTemplate',
          'podtemplate-1',
          { namespace: ctx.namespace },
          { template: podTemplate({ app: 'x' }) },
        ),
      );
      const replaced = await retryOnConflict(async () => {
        const current = await client.get('podtemplate-1', ctx.namespace);
        (current.template as { spec: { terminationGracePeriodSeconds: number } }).spec.terminationGracePeriodSeconds =
          1;
        return client.update(current);
      });
      assert.equal(
        (replaced.template as { spec: { terminationGracePeriodSeconds: number } }).spec.terminationGracePeriodSeconds,
        1,
      );
    },
  }),
  conformanceTest({
    codename: '[sig-architecture] Conformance Tests should have at least two untainted nodes [Conformance]',
    area: 'core',
    needs: ['kubelet-sim'],
    async run(ctx) {
      const nodes = await ctx.client.resource(resources.nodes).list();
      const untainted = nodes.items.filter((n) => {
        const taints = (n.spec as { taints?: Array<{ effect: string }> } | undefined)?.taints ?? [];
        return !n.spec || !(n.spec as { unschedulable?: boolean }).unschedulable
          ? taints.every((t) => t.effect === 'PreferNoSchedule')
          : false;
      });
      assert.ok(untainted.length >= 2, `${untainted.length} untainted schedulable nodes`);
    },
  }),
  conformanceTest({
    codename: '[sig-node] Pods should get a host IP [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['kubelet-sim', 'scheduler'],
    async run(ctx) {
      await ctx.client
        .resource(resources.pods)
        .create(pod('pod-hostip', { namespace: ctx.namespace, labels: { test: 'hostip' } }));
      const [running] = await waitForRunningPods(ctx, { test: 'hostip' }, 1);
      const status = statusOf(running ?? { apiVersion: '', kind: '', metadata: {} }) as {
        hostIP?: string;
        hostIPs?: Array<{ ip: string }>;
      };
      assert.ok(status.hostIP, 'hostIP is set');
      assert.equal(status.hostIPs?.[0]?.ip, status.hostIP);
    },
  }),
  conformanceTest({
    codename: '[sig-node] Pods should delete a collection of pods [Conformance]',
    area: 'core',
    needs: ['deletecollection', 'label-selector', 'kubelet-sim'],
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      for (const i of [1, 2, 3])
        await pods.create(pod(`test-pod-${i}`, { namespace: ctx.namespace, labels: { type: 'Testing' } }));
      await waitForRunningPods(ctx, { type: 'Testing' }, 3);
      await pods.deleteCollection({ namespace: ctx.namespace, labelSelector: 'type=Testing', gracePeriodSeconds: 0 });
      await eventually(
        async () =>
          assert.equal((await pods.list({ namespace: ctx.namespace, labelSelector: 'type=Testing' })).items.length, 0),
        {
          what: 'pods deleted',
          signal: ctx.signal,
        },
      );
    },
  }),
  conformanceTest({
    codename: '[sig-node] Pods should be updated [NodeConformance] [Conformance]',
    area: 'core',
    needs: ['crud', 'label-selector', 'kubelet-sim'],
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      await pods.create(pod('pod-update', { namespace: ctx.namespace, labels: { name: 'foo', time: 'before' } }));
      await waitForRunningPods(ctx, { name: 'foo' }, 1);
      await retryOnConflict(async () => {
        const current = await pods.get('pod-update', ctx.namespace);
        current.metadata.labels = { name: 'foo', time: 'after' };
        return pods.update(current);
      });
      const listed = await pods.list({ namespace: ctx.namespace, labelSelector: 'time=after' });
      assert.equal(listed.items.length, 1);
    },
  }),
  conformanceTest({
    codename: '[sig-node] Pods should patch a pod status [Conformance]',
    area: 'core',
    needs: ['status-subresource', 'patch', 'kubelet-sim'],
    async run(ctx) {
      const pods = ctx.client.resource(resources.pods);
      await pods.create(pod('pod-status', { namespace: ctx.namespace, labels: { test: 'status' } }));
      await waitForRunningPods(ctx, { test: 'status' }, 1);
      const patched = await pods.patch(
        'pod-status',
        ctx.namespace,
        'merge',
        {
          metadata: { annotations: { patchedstatus: 'true' } },
          status: { message: 'Patched by e2e test', reason: 'E2E' },
        },
        { subresource: 'status' },
      );
      assert.equal(patched.metadata.annotations?.patchedstatus, 'true');
      assert.equal((statusOf(patched) as { message?: string }).message, 'Patched by e2e test');
      assert.equal((statusOf(patched) as { reason?: string }).reason, 'E2E');
    },
  }),
  conformanceTest({
    codename: '[sig-auth] ServiceAccounts should update a ServiceAccount [Conformance]',
    area: 'auth',
    needs: ['crud'],
    async run(ctx) {
      const client = ctx.client.resource(resources.serviceAccounts);
      await client.create(object('v1', 'ServiceAccount', 'e2e-sa', { namespace: ctx.namespace }, {}));
      const updated = await retryOnConflict(async () => {
        const current = await client.get('e2e-sa', ctx.namespace);
        current.automountServiceAccountToken = false;
        return client.update(current);
      });
      assert.equal(updated.automountServiceAccountToken, false);
      const patched = await client.patch('e2e-sa', ctx.namespace, 'merge', { automountServiceAccountToken: true });
      assert.equal(patched.automountServiceAccountToken, true);
    },
  }),
  conformanceTest({
    codename: '[sig-auth] ServiceAccounts should guarantee kube-root-ca.crt exist in any namespace [Conformance]',
    area: 'auth',
    needs: ['service-accounts', 'namespace-lifecycle'],
    async run(ctx) {
      const client = ctx.client.resource(resources.configMaps);
      const get = () => client.get('kube-root-ca.crt', ctx.namespace);
      const first = await eventually(get, { what: 'kube-root-ca.crt published', signal: ctx.signal });
      assert.match((first.data as Record<string, string>)['ca.crt'] ?? '', /BEGIN CERTIFICATE/);
      await client.delete('kube-root-ca.crt', ctx.namespace);
      await eventually(get, { what: 'kube-root-ca.crt recreated', signal: ctx.signal });
      await client
        .patch('kube-root-ca.crt', ctx.namespace, 'merge', { data: { 'ca.crt': 'changed' } })
        .catch((err: unknown) => {
          if (!isStatusError(err)) throw err;
        });
      await eventually(
        async () => assert.match(((await get()).data as Record<string, string>)['ca.crt'] ?? '', /BEGIN CERTIFICATE/),
        { what: 'kube-root-ca.crt reconciled', signal: ctx.signal },
      );
    },
  }),
];
