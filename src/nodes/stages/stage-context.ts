/** What container stages share: the pod and environment they run in, and event recording. */
import type { ContainerSim, PodSim, SimEnv } from '../sim-types.ts';
import { type KubeletEvent, podDescription } from '../status/kubelet-events.ts';

export interface StageContext {
  sim: PodSim;
  env: SimEnv;
}

export const fieldPath = (c: ContainerSim) => `${c.isInit ? 'spec.initContainers' : 'spec.containers'}{${c.spec.name}}`;

export function emit(c: ContainerSim, ctx: StageContext, event: KubeletEvent) {
  ctx.env.event(ctx.sim, event, fieldPath(c));
}

export const describePod = (sim: PodSim) =>
  podDescription(sim.pod.metadata.name ?? '', sim.pod.metadata.namespace ?? 'default', sim.uid);
