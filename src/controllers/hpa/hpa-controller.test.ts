/**
 * The HPA controller on a simulated cluster (registry, scheduler, simulated nodes, Deployment and
 * ReplicaSet controllers) on one fake clock, reading the usage model through metrics.k8s.io: a
 * container requesting 100m CPU uses 60–100m of it, so a 50 % target always asks for more pods and a
 * 300 % target always for fewer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, events, horizontalPodAutoscalers } from '../../client/resources.ts';
import type { ResourceRef } from '../../client/types.ts';
import type { KubeObject } from '../../types/meta.ts';
import { deploymentController } from '../deployment/deployment-controller.ts';
import type { Deployment } from '../deployment/types.ts';
import { startTestCluster, type TestCluster } from '../job/test-cluster.test-helpers.ts';
import { replicaSetController } from '../replicaset.ts';
import { hpaController } from './hpa-controller.ts';
import type { HorizontalPodAutoscaler, HPACondition } from './types.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ controllers: [deploymentController, replicaSetController, hpaController] });
});
afterAll(async () => {
  await cluster.stop();
});

const hpaApi = () => cluster.client.resource(horizontalPodAutoscalers as ResourceRef<HorizontalPodAutoscaler>);
const deploymentApi = () => cluster.client.resource<Deployment>(deployments);

async function createDeployment(name: string, requests?: Record<string, string>) {
  const labels = { app: name };
  await deploymentApi().create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'nginx', ...(requests ? { resources: { requests } } : {}) }] },
      },
    },
  } as Deployment);
}

function autoscaler(
  name: string,
  target: string,
  averageUtilization: number,
  extra: object = {},
): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } }],
      ...extra,
    },
  };
}

const condition = (hpa: HorizontalPodAutoscaler, type: HPACondition['type']) =>
  hpa.status?.conditions?.find((c) => c.type === type);

async function eventsOf(name: string) {
  const list = await cluster.client.resource(events).list({ namespace: 'default' });
  return (list.items as (KubeObject & { involvedObject?: { name?: string }; reason?: string; message?: string })[])
    .filter((e) => e.involvedObject?.name === name)
    .map((e) => `${e.reason}: ${e.message}`);
}

describe('HPA controller', () => {
  it('scales a Deployment up to maxReplicas while usage is above target, reporting status and events', async () => {
    await createDeployment('web', { cpu: '100m' });
    await hpaApi().create(autoscaler('web', 'web', 50));
    const hpa = await cluster.eventually(
      async () => {
        const current = await hpaApi().get('web', 'default');
        expect(current.status?.currentReplicas).toBe(4);
        expect(condition(current, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas' });
        return current;
      },
      { stepMs: 1000 },
    );
    expect((await deploymentApi().get('web', 'default')).spec?.replicas).toBe(4);
    expect(hpa.status).toMatchObject({ desiredReplicas: 4, lastScaleTime: expect.any(String) });
    const utilization = hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization ?? 0;
    expect(utilization).toBeGreaterThanOrEqual(55);
    expect(utilization).toBeLessThanOrEqual(100);
    expect(condition(hpa, 'AbleToScale')).toMatchObject({ status: 'True' });
    expect(condition(hpa, 'ScalingActive')).toMatchObject({
      status: 'True',
      reason: 'ValidMetricFound',
      message:
        'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    });
    const seen = await eventsOf('web');
    expect(seen).toContain(
      'SuccessfulRescale: New size: 2; reason: cpu resource utilization (percentage of request) above target',
    );
  });

  it('scales down only after the 5-minute stabilisation window', async () => {
    await hpaApi().patch('web', 'default', 'merge', {
      spec: {
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 300 } } },
        ],
      },
    });
    const changedAt = cluster.clock.now();
    const scaledDown = await cluster.eventually(
      async () => {
        const d = await deploymentApi().get('web', 'default');
        expect(d.spec?.replicas).toBe(1);
        return cluster.clock.now();
      },
      { stepMs: 2000 },
    );
    expect(scaledDown - changedAt).toBeGreaterThanOrEqual(4 * 60_000);
    // The status write follows the /scale write.
    await cluster.eventually(async () =>
      expect((await hpaApi().get('web', 'default')).status?.desiredReplicas).toBe(1),
    );
    const downs = (await eventsOf('web')).filter((e) => e.endsWith('reason: All metrics below target'));
    expect(downs.length, String(await eventsOf('web'))).toBeGreaterThan(0);
  });

  it('reports a target it cannot find', async () => {
    await hpaApi().create(autoscaler('ghost', 'nothing-here', 50));
    const hpa = await cluster.eventually(async () => {
      const current = await hpaApi().get('ghost', 'default');
      expect(condition(current, 'AbleToScale')?.status).toBe('False');
      return current;
    });
    expect(condition(hpa, 'AbleToScale')).toMatchObject({
      reason: 'FailedGetScale',
      message: `the HPA controller was unable to get the target's current scale: deployments.apps "nothing-here" not found`,
    });
    expect(await eventsOf('ghost')).toContain('FailedGetScale: deployments.apps "nothing-here" not found');
  });

  it('reports pods without a CPU request as a failed resource metric', async () => {
    await createDeployment('bare');
    await hpaApi().create(autoscaler('bare', 'bare', 50));
    const hpa = await cluster.eventually(
      async () => {
        const current = await hpaApi().get('bare', 'default');
        expect(condition(current, 'ScalingActive')?.status).toBe('False');
        return current;
      },
      { stepMs: 1000 },
    );
    const why = 'failed to get cpu utilization: missing request for cpu in container app of Pod';
    expect(condition(hpa, 'ScalingActive')?.reason).toBe('FailedGetResourceMetric');
    expect(condition(hpa, 'ScalingActive')?.message).toContain(
      `the HPA was unable to compute the replica count: ${why}`,
    );
    const seen = await eventsOf('bare');
    expect(seen.some((e) => e.startsWith(`FailedGetResourceMetric: ${why}`))).toBe(true);
    expect(
      seen.some((e) =>
        e.startsWith(
          `FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${why}`,
        ),
      ),
    ).toBe(true);
    expect(hpa.status?.currentReplicas).toBe(1);
  });
});
