/** The apps tests of the first wave: Deployment and Job lifecycles, PDB-blocked eviction. */
import { resources } from '../../../src/client/index.ts';
import { isStatusError } from '../../../src/status.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound, expectStatus } from '../../helpers/expect-status.ts';
import { job, object, pod, workload } from '../../helpers/objects.ts';
import { openWatch } from '../../helpers/watch.ts';
import { statusOf, waitForAvailable, waitForRunningPods } from '../../helpers/workloads.ts';
import { conformanceTest } from '../../suite.ts';

export const appsFirstWaveTests = [
  conformanceTest({
    codename: '[sig-apps] Deployment should run the lifecycle of a Deployment [Conformance]',
    area: 'apps',
    needs: ['deployment-controller', 'watch', 'patch', 'status-subresource', 'label-selector', 'kubelet-sim'],
    timeoutMs: 120_000,
    async run(ctx) {
      const client = ctx.client.resource(resources.deployments);
      const ns = ctx.namespace;
      const name = 'test-deployment';
      const labels = { 'test-deployment-static': 'true' };
      const watch = await openWatch(
        client,
        { namespace: ns, labelSelector: 'test-deployment-static=true' },
        ctx.signal,
      );
      await client.create(
        workload('Deployment', name, { namespace: ns, labels, replicas: 1, selector: { app: name, ...labels } }),
      );
      await watch.next((e) => e.type === 'ADDED', 'ADDED');
      await waitForAvailable(ctx, () => client.get(name, ns), 1);
      const patched = await client.patch(name, ns, 'strategic', {
        metadata: { labels: { 'test-deployment': 'patched' } },
        spec: {
          replicas: 2,
          template: {
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [{ name: 'httpd', image: 'registry.k8s.io/pause:3.10' }],
            },
          },
        },
      });
      assert.equal(patched.metadata.labels?.['test-deployment'], 'patched');
      await waitForAvailable(ctx, () => client.get(name, ns), 2, 60_000);
      const listed = await client.list({ namespace: ns, labelSelector: 'test-deployment-static=true' });
      assert.equal(listed.items.length, 1);
      const updated = await retryOnConflict(async () => {
        const current = await client.get(name, ns);
        (statusOf(current) as { conditions?: unknown[] }).conditions = [
          { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from e2e test' },
        ];
        return client.updateStatus(current);
      });
      assert.ok(
        ((statusOf(updated).conditions as Array<{ type: string }> | undefined) ?? []).some(
          (c) => c.type === 'StatusUpdate',
        ),
        'status carries the StatusUpdate condition',
      );
      const viaStatus = await client.patch(
        name,
        ns,
        'merge',
        { metadata: { annotations: { patchedstatus: 'true' } }, status: { readyReplicas: 1 } },
        { subresource: 'status' },
      );
      assert.equal(viaStatus.metadata.annotations?.patchedstatus, 'true');
      await client.deleteCollection({ namespace: ns, labelSelector: 'test-deployment-static=true' });
      await watch.next((e) => e.type === 'DELETED', 'DELETED');
      watch.close();
    },
  }),
  conformanceTest({
    codename: '[sig-apps] Job should manage the lifecycle of a job [Conformance]',
    area: 'apps',
    needs: ['crud', 'patch', 'label-selector', 'deletecollection', 'job-controller'],
    async run(ctx) {
      const client = ctx.client.resource(resources.jobs);
      const ns = ctx.namespace;
      const labels = { 'e2e-job-label': 'e2e-job-lifecycle' };
      const watch = await openWatch(
        client,
        { namespace: ns, labelSelector: 'e2e-job-label=e2e-job-lifecycle' },
        ctx.signal,
      );
      await client.create(job('e2e-job-lifecycle', { namespace: ns, labels, spec: { suspend: true } }));
      await watch.next((e) => e.type === 'ADDED', 'ADDED');
      await client.patch('e2e-job-lifecycle', ns, 'merge', { metadata: { labels: { 'e2e-patched': 'true' } } });
      await watch.next((e) => e.type === 'MODIFIED' && e.object.metadata.labels?.['e2e-patched'] === 'true', 'patched');
      await retryOnConflict(async () => {
        const current = await client.get('e2e-job-lifecycle', ns);
        current.metadata.annotations = { updated: 'true' };
        return client.update(current);
      });
      await watch.next((e) => e.type === 'MODIFIED' && e.object.metadata.annotations?.updated === 'true', 'updated');
      const all = await client.list({ labelSelector: 'e2e-job-label=e2e-job-lifecycle' });
      assert.ok(
        all.items.some((j) => j.metadata.namespace === ns),
        'listed across namespaces',
      );
      await client.deleteCollection({
        namespace: ns,
        labelSelector: 'e2e-job-label=e2e-job-lifecycle',
        propagationPolicy: 'Background',
      });
      await watch.next((e) => e.type === 'DELETED', 'DELETED');
      await expectNotFound(client.get('e2e-job-lifecycle', ns));
      watch.close();
    },
  }),
  conformanceTest({
    codename:
      '[sig-apps] DisruptionController should block an eviction until the PDB is updated to allow it [Conformance]',
    area: 'apps',
    needs: ['disruption-controller', 'eviction', 'kubelet-sim'],
    async run(ctx) {
      const ns = ctx.namespace;
      const pdbs = ctx.client.resource(resources.podDisruptionBudgets);
      await pdbs.create(
        object(
          'policy/v1',
          'PodDisruptionBudget',
          'foo',
          { namespace: ns },
          { spec: { selector: { matchLabels: { foo: 'bar' } }, maxUnavailable: 0 } },
        ),
      );
      await ctx.client.resource(resources.pods).create(pod('rs-pod', { namespace: ns, labels: { foo: 'bar' } }));
      await waitForRunningPods(ctx, { foo: 'bar' }, 1);
      await eventually(async () => assert.equal(statusOf(await pdbs.get('foo', ns)).observedGeneration, 1), {
        what: 'PDB observed',
        signal: ctx.signal,
      });
      const evict = () =>
        ctx.client.resource(resources.pods).createSubresource('rs-pod', ns, 'eviction', {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: 'rs-pod', namespace: ns },
        });
      await expectStatus(evict(), 429, "Cannot evict pod as it would violate the pod's disruption budget");
      await pdbs.patch('foo', ns, 'merge', { spec: { maxUnavailable: 1 } });
      await eventually(
        async () => {
          try {
            await evict();
          } catch (err) {
            if (isStatusError(err) && err.status.code === 404) return;
            throw err;
          }
        },
        { what: 'eviction allowed', signal: ctx.signal },
      );
    },
  }),
];
