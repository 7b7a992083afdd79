import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types/meta.ts';
import { newTestRegistry, statusOf } from '../testing/test-registry.ts';

const template = (restartPolicy?: string) => ({
  metadata: { labels: { app: 'x' } },
  spec: {
    ...(restartPolicy ? { restartPolicy } : {}),
    containers: [{ name: 'c', image: 'busybox:1.36', ports: [{ containerPort: 80 }] }],
  },
});
const specOf = (o: KubeObject) => o.spec as Record<string, unknown>;

describe('defaults', () => {
  it('pods get the PodSpec defaults, the default service account and the not-ready/unreachable tolerations', async () => {
    const t = await newTestRegistry();
    const pod = await t.create('pods', {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      enableServiceLinks: true,
      containers: [
        { imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('qosClass follows requests and limits', async () => {
    const t = await newTestRegistry();
    const resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    const guaranteed = await t.create('pods', {
      metadata: { name: 'g' },
      spec: { containers: [{ name: 'c', image: 'x', resources }] },
    });
    expect((guaranteed.status as { qosClass: string }).qosClass).toBe('Guaranteed');
    const burstable = await t.create('pods', {
      metadata: { name: 'b' },
      spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] },
    });
    expect((burstable.status as { qosClass: string }).qosClass).toBe('Burstable');
  });

  it('workload templates get PodSpec defaults; statefulsets and daemonsets their update strategies', async () => {
    const t = await newTestRegistry();
    const sts = await t.create(
      'statefulsets',
      { metadata: { name: 's' }, spec: { selector: { matchLabels: { app: 'x' } }, template: template() } },
      'default',
      'apps',
    );
    expect(sts.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    });
    expect((specOf(sts).template as { spec: object }).spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    });
    const ds = await t.create(
      'daemonsets',
      { metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x' } }, template: template() } },
      'default',
      'apps',
    );
    expect(ds.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  it('jobs get a selector from their uid and the matching template labels', async () => {
    const t = await newTestRegistry();
    const job = await t.create(
      'jobs',
      { metadata: { name: 'j' }, spec: { template: template('Never') } },
      'default',
      'batch',
    );
    const uid = job.metadata.uid as string;
    expect(job.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: {
        metadata: {
          labels: {
            app: 'x',
            'batch.kubernetes.io/controller-uid': uid,
            'batch.kubernetes.io/job-name': 'j',
            'job-name': 'j',
          },
        },
      },
    });
  });

  it('a job whose pods would restart Always is 422', async () => {
    const t = await newTestRegistry();
    const s = await statusOf(
      t.create('jobs', { metadata: { name: 'j' }, spec: { template: template() } }, 'default', 'batch'),
    );
    expect(s.code).toBe(422);
    expect(s.message).toBe(
      'Job.batch "j" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
  });

  it('cronjobs get their history limits and pod template defaults, but no Job defaults in jobTemplate', async () => {
    const t = await newTestRegistry();
    const cj = await t.create(
      'cronjobs',
      {
        metadata: { name: 'c' },
        spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template('OnFailure') } } },
      },
      'default',
      'batch',
    );
    expect(cj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', dnsPolicy: 'ClusterFirst' } } } },
    });
    expect(specOf(cj).jobTemplate).not.toHaveProperty('spec.backoffLimit');
  });

  it('replication controllers take selector and labels from the template when empty', async () => {
    const t = await newTestRegistry();
    const rc = await t.create('replicationcontrollers', { metadata: { name: 'r' }, spec: { template: template() } });
    expect(rc.metadata.labels).toEqual({ app: 'x' });
    expect(rc.spec).toMatchObject({ replicas: 1, selector: { app: 'x' } });
  });
});
