/** Waiting on ResourceQuota status the way upstream's waitForResourceQuota does: named entries only. */
import { resources } from '../../src/client/index.ts';
import { parseQuantity } from '../../src/quantity.ts';
import type { KubeObject } from '../../src/types/meta.ts';
import { eventually } from '../eventually.ts';
import type { ConformanceContext } from '../suite.ts';
import assert from './assert.ts';
import { object } from './objects.ts';
import { statusOf } from './workloads.ts';

export type ResourceList = Record<string, string>;

export function resourceQuota(
  name: string,
  namespace: string,
  spec: { hard: ResourceList; scopes?: string[] },
  labels?: Record<string, string>,
): KubeObject {
  return object('v1', 'ResourceQuota', name, { namespace, ...(labels ? { labels } : {}) }, { spec });
}

/** Quantities compare by value: the controller may write `1Gi` where a test says `1024Mi`. */
export function sameQuantity(a: string | undefined, b: string): boolean {
  return a !== undefined && Math.abs(parseQuantity(a) - parseQuantity(b)) < 1e-9;
}

/** Polls until status.used of `name` holds every entry of `used` (other entries are ignored). */
export async function waitForQuotaUsed(
  ctx: ConformanceContext,
  name: string,
  used: ResourceList,
  what = 'quota usage',
) {
  const quotas = ctx.client.resource(resources.resourceQuotas);
  return eventually(
    async () => {
      const quota = await quotas.get(name, ctx.namespace);
      const actual = (statusOf(quota).used ?? {}) as ResourceList;
      for (const [resource, value] of Object.entries(used)) {
        assert.ok(
          sameQuantity(actual[resource], value),
          `${name} status.used[${resource}] is ${String(actual[resource])}, want ${value}`,
        );
      }
      return quota;
    },
    { what: `${what} (${name})`, signal: ctx.signal, timeoutMs: 60_000 },
  );
}
