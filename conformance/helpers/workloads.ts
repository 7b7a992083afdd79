/** Waiting on workload status and listing a workload's pods, as upstream's e2e framework helpers do. */
import { resources } from '../../src/client/index.ts';
import type { KubeObject } from '../../src/types/meta.ts';
import { eventually } from '../eventually.ts';
import type { ConformanceContext } from '../suite.ts';
import assert from './assert.ts';

export const statusOf = (o: KubeObject) => (o.status ?? {}) as Record<string, unknown>;

export const selectorOf = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Pods matching `labels` in the test namespace that are Running and Ready, at least `count`. */
export async function waitForRunningPods(
  ctx: ConformanceContext,
  labels: Record<string, string>,
  count: number,
  timeoutMs = 45_000,
) {
  return eventually(
    async () => {
      const list = await ctx.client
        .resource(resources.pods)
        .list({ namespace: ctx.namespace, labelSelector: selectorOf(labels) });
      const ready = list.items.filter((p) => {
        const status = statusOf(p) as { phase?: string; conditions?: Array<{ type: string; status: string }> };
        return (
          !p.metadata.deletionTimestamp &&
          status.phase === 'Running' &&
          status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        );
      });
      assert.ok(ready.length >= count, `${ready.length}/${count} pods running and ready`);
      return ready;
    },
    { what: `pods ${selectorOf(labels)} running`, signal: ctx.signal, timeoutMs },
  );
}

/** A Deployment/ReplicaSet/RC whose status reports `replicas` available for the latest generation. */
export async function waitForAvailable(
  ctx: ConformanceContext,
  get: () => Promise<KubeObject>,
  replicas: number,
  timeoutMs = 45_000,
) {
  return eventually(
    async () => {
      const o = await get();
      const s = statusOf(o);
      assert.ok(
        (s.observedGeneration as number | undefined) ?? 0 >= (o.metadata.generation ?? 0),
        'generation observed',
      );
      assert.equal(
        s.availableReplicas ?? 0,
        replicas,
        `availableReplicas ${String(s.availableReplicas ?? 0)} != ${replicas}`,
      );
      assert.equal(s.readyReplicas ?? 0, replicas, `readyReplicas ${String(s.readyReplicas ?? 0)} != ${replicas}`);
      return o;
    },
    { what: `${get.name || 'workload'} available`, signal: ctx.signal, timeoutMs },
  );
}
