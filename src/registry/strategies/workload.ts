/**
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers, Jobs, CronJobs: kinds
 * whose generation tracks their spec, with the few defaults controllers rely on before full OpenAPI
 * defaulting lands.
 */
import type { KubeObject } from '../../types/meta.ts';
import type { Strategy } from '../types.ts';
import { objectField, setDefault } from './shared.ts';

export const generationTrackingStrategy: Strategy = { tracksGeneration: true };

function defaultReplicas(object: KubeObject): void {
  setDefault(objectField(object, 'spec'), 'replicas', 1);
}

export const replicatedStrategy: Strategy = { tracksGeneration: true, defaults: defaultReplicas };

export const deploymentStrategy: Strategy = {
  tracksGeneration: true,
  defaults(object) {
    defaultReplicas(object);
    const spec = objectField(object, 'spec');
    const strategy = objectField(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = objectField(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', '25%');
      setDefault(rolling, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
  },
};
