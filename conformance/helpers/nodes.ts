/** Which nodes a test may count on: Ready, schedulable, untainted — recomputed on every poll. */
import { resources } from '../../src/client/index.ts';
import type { KubeObject } from '../../src/types/meta.ts';
import type { ConformanceContext } from '../suite.ts';

interface NodeShape {
  spec?: { unschedulable?: boolean; taints?: Array<{ key: string; effect: string }> };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

export const isReadyNode = (n: KubeObject) =>
  ((n as NodeShape).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * Ready nodes without taints or cordon. Other tests running alongside may taint a node or register a
 * kubelet-less fake one; neither should count as a place a DaemonSet pod must run.
 */
export async function schedulableNodes(ctx: ConformanceContext): Promise<KubeObject[]> {
  const nodes = (await ctx.client.resource(resources.nodes).list()).items;
  return nodes.filter((n) => {
    const spec = (n as NodeShape).spec ?? {};
    return isReadyNode(n) && !spec.unschedulable && (spec.taints ?? []).length === 0;
  });
}
