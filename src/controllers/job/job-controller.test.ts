import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, jobs, pods } from '../../client/resources.ts';
import type { Pod } from '../pod-control/types.ts';
import { jobController } from './job-controller.ts';
import { startTestCluster, type TestCluster } from './test-cluster.test-helpers.ts';
import type { Job } from './types.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ controllers: [jobController] });
});
afterAll(async () => {
  await cluster.stop();
});

function job(name: string, spec: Job['spec'], command = ['sh', '-c', 'sleep 1']): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command }] },
      },
    },
  };
}

const condition = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type);

describe('job controller on a cluster', () => {
  it('completes a Job of 10 completions with parallelism 3, never running more than 3 pods', async () => {
    const api = cluster.client.resource<Job>(jobs);
    await api.create(job('ten', { completions: 10, parallelism: 3 }));
    let maxActive = 0;
    const done = await cluster.eventually(async () => {
      const j = await api.get('ten', 'default');
      maxActive = Math.max(maxActive, j.status?.active ?? 0);
      expect(condition(j, 'Complete')?.status).toBe('True');
      return j;
    });
    expect(maxActive).toBeLessThanOrEqual(3);
    expect(done.status).toMatchObject({
      succeeded: 10,
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
    });
    // active, succeeded and failed are omitempty in the Go type; a zero never appears.
    expect(done.status?.failed).toBeUndefined();
    expect(done.status?.active).toBeUndefined();
    expect(done.status?.completionTime).toBeDefined();
    expect(condition(done, 'SuccessCriteriaMet')).toMatchObject({
      status: 'True',
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    });
    expect(condition(done, 'Complete')).toMatchObject({ reason: 'CompletionsReached' });

    const jobPods = (
      await cluster.client.resource<Pod>(pods).list({ namespace: 'default', labelSelector: 'job-name=ten' })
    ).items;
    expect(jobPods).toHaveLength(10);
    for (const p of jobPods) {
      expect(p.metadata.labels).toMatchObject({
        'batch.kubernetes.io/controller-uid': done.metadata.uid,
        'batch.kubernetes.io/job-name': 'ten',
        'controller-uid': done.metadata.uid,
        'job-name': 'ten',
      });
      expect(p.metadata.finalizers ?? []).not.toContain('batch.kubernetes.io/job-tracking');
      expect(p.status?.phase).toBe('Succeeded');
    }
    const reasons = (await cluster.client.resource(events).list({ namespace: 'default' })).items
      .filter((e) => (e.involvedObject as { name?: string }).name === 'ten')
      .map((e) => `${e.reason}: ${e.message}`);
    expect(reasons).toContain('Completed: Job completed');
    expect(reasons.some((r) => r.startsWith('SuccessfulCreate: Created pod: ten-'))).toBe(true);
  });

  it('runs an Indexed Job with one pod per index and reports completedIndexes', async () => {
    const api = cluster.client.resource<Job>(jobs);
    await api.create(job('indexed', { completions: 4, parallelism: 2, completionMode: 'Indexed' }));
    const done = await cluster.eventually(async () => {
      const j = await api.get('indexed', 'default');
      expect(condition(j, 'Complete')?.status).toBe('True');
      return j;
    });
    expect(done.status).toMatchObject({ succeeded: 4, completedIndexes: '0-3' });
    const list = (
      await cluster.client.resource<Pod>(pods).list({ namespace: 'default', labelSelector: 'job-name=indexed' })
    ).items;
    const indexes = list.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    expect(indexes).toEqual(['0', '1', '2', '3']);
    const first = list.find((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index'] === '0');
    expect(first?.metadata.name).toMatch(/^indexed-0-/);
    expect(first?.spec?.hostname).toBe('indexed-0');
  });

  it('fails a Job past its backoff limit with BackoffLimitExceeded, retrying with a growing delay', async () => {
    const api = cluster.client.resource<Job>(jobs);
    await api.create(job('flaky', { backoffLimit: 2 }, ['sh', '-c', 'exit 3']));
    const failed = await cluster.eventually(
      async () => {
        const j = await api.get('flaky', 'default');
        expect(condition(j, 'Failed')?.status).toBe('True');
        return j;
      },
      { stepMs: 2000 },
    );
    expect(failed.status?.failed).toBe(3);
    expect(condition(failed, 'Failed')).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(condition(failed, 'FailureTarget')?.reason).toBe('BackoffLimitExceeded');
    const created = (
      await cluster.client.resource<Pod>(pods).list({ namespace: 'default', labelSelector: 'job-name=flaky' })
    ).items
      .map((p) => Date.parse(p.metadata.creationTimestamp ?? ''))
      .sort((a, b) => a - b);
    expect(created).toHaveLength(3);
    const [a = 0, b = 0, c = 0] = created;
    // 10 s after the first failure, 20 s after the second.
    expect(b - a).toBeGreaterThanOrEqual(10_000);
    expect(c - b).toBeGreaterThanOrEqual(20_000);
  });

  it('fails a Job that runs past activeDeadlineSeconds and stops its pods', async () => {
    const api = cluster.client.resource<Job>(jobs);
    await api.create(job('slow', { activeDeadlineSeconds: 5 }, ['sh', '-c', 'sleep 600']));
    const failed = await cluster.eventually(async () => {
      const j = await api.get('slow', 'default');
      expect(condition(j, 'Failed')?.status).toBe('True');
      return j;
    });
    expect(condition(failed, 'Failed')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    expect(failed.status?.active ?? 0).toBe(0);
  });

  it('fails at once on a podFailurePolicy FailJob rule and names the container and exit code', async () => {
    const api = cluster.client.resource<Job>(jobs);
    const spec: Job['spec'] = {
      backoffLimit: 6,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
    };
    await api.create(job('policy', spec, ['sh', '-c', 'exit 42']));
    const failed = await cluster.eventually(async () => {
      const j = await api.get('policy', 'default');
      expect(condition(j, 'Failed')?.status).toBe('True');
      return j;
    });
    expect(condition(failed, 'Failed')?.reason).toBe('PodFailurePolicy');
    expect(condition(failed, 'Failed')?.message).toMatch(
      /^Container main for pod default\/policy-\w+ failed with exit code 42 matching FailJob rule at index 0$/,
    );
    expect(failed.status?.failed).toBe(1);
  });

  it('creates no pods while suspended and reports Suspended; resumes when unsuspended', async () => {
    const api = cluster.client.resource<Job>(jobs);
    await api.create(job('paused', { suspend: true }));
    const suspended = await cluster.eventually(async () => {
      const j = await api.get('paused', 'default');
      expect(condition(j, 'Suspended')).toMatchObject({
        status: 'True',
        reason: 'JobSuspended',
        message: 'Job suspended',
      });
      return j;
    });
    expect(suspended.status?.startTime).toBeUndefined();
    const podsOf = async () =>
      (await cluster.client.resource<Pod>(pods).list({ namespace: 'default', labelSelector: 'job-name=paused' })).items;
    expect(await podsOf()).toHaveLength(0);
    await api.patch('paused', 'default', 'merge', { spec: { suspend: false } });
    const done = await cluster.eventually(async () => {
      const j = await api.get('paused', 'default');
      expect(condition(j, 'Complete')?.status).toBe('True');
      return j;
    });
    expect(condition(done, 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
  });

  it('releases the tracking finalizer of a pod whose Job was deleted, so the pod can go', async () => {
    const api = cluster.client.resource<Job>(jobs);
    const podApi = cluster.client.resource<Pod>(pods);
    await api.create(job('gone', {}, ['sleep', '3600']));
    const running = await cluster.eventually(async () => {
      const [pod] = (await podApi.list({ namespace: 'default', labelSelector: 'job-name=gone' })).items;
      expect(pod?.status?.phase).toBe('Running');
      expect(pod?.metadata.finalizers).toContain('batch.kubernetes.io/job-tracking');
      return pod as Pod;
    });
    // No garbage collector runs here: the pod outlives its Job, as it does until the GC gets to it.
    await api.delete('gone', 'default');
    await cluster.eventually(async () => {
      const pod = await podApi.get(running.metadata.name ?? '', 'default');
      expect(pod.metadata.finalizers ?? []).not.toContain('batch.kubernetes.io/job-tracking');
    });
  });

  it('adopts an orphan pod carrying its controller-uid label, and no pod without it', async () => {
    const api = cluster.client.resource<Job>(jobs);
    const podApi = cluster.client.resource<Pod>(pods);
    const created = await api.create({ ...job('adopter', { parallelism: 1, completions: 1 }, ['sleep', '3600']) });
    const uid = created.metadata.uid ?? '';
    const orphan = (name: string, labels: Record<string, string>): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      },
    });
    await podApi.create(orphan('stray-match', { 'batch.kubernetes.io/controller-uid': uid }));
    await podApi.create(orphan('stray-other', { 'job-name': 'adopter' }));
    await cluster.eventually(async () => {
      const adopted = await podApi.get('stray-match', 'default');
      expect(adopted.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Job', name: 'adopter', uid, controller: true }),
      ]);
    });
    expect((await podApi.get('stray-other', 'default')).metadata.ownerReferences).toBeUndefined();
    await api.delete('adopter', 'default');
  });
});
