/**
 * The ReplicationController controller: kube-controller-manager runs the ReplicaSet controller's code
 * for this older kind too, and so do we. Only the selector differs — a plain label map, which the
 * apiserver defaults to the template's labels.
 */
import { replicationControllers } from '../client/resources.ts';
import { type LabelSelector, labelSelectorFromSpec } from '../selectors/index.ts';
import type { ReplicationController } from './pod-control/types.ts';
import { createReplicaController, type ReplicaControllerDeps, type ReplicaKind } from './replicaset.ts';

function selectorOf(rc: Readonly<ReplicationController>): LabelSelector | undefined {
  const labels = rc.spec?.selector && Object.keys(rc.spec.selector).length ? rc.spec.selector : undefined;
  const matchLabels = labels ?? rc.spec?.template?.metadata?.labels;
  if (!matchLabels || !Object.keys(matchLabels).length) return undefined;
  return labelSelectorFromSpec({ matchLabels });
}

export const replicationControllerKind: ReplicaKind<ReplicationController> = {
  ref: replicationControllers,
  name: 'replicationcontroller',
  component: 'replication-controller',
  selectorOf,
};

export function replicationControllerController(d: ReplicaControllerDeps) {
  return createReplicaController(replicationControllerKind, d);
}
