/**
 * DaemonSet status by node (kubernetes pkg/controller/daemon updateDaemonSetStatus): desired = nodes
 * that should run the pod; current = those of them that have one; misscheduled = other nodes that
 * have one; ready/available/updated count the daemon pod on desired nodes. The first four are always
 * written (required in the Go type); the rest are omitempty.
 */
import type { Node } from '../../scheduler/types.ts';
import { controllerRevisionHashLabel } from '../history/controller-revision.ts';
import { isPodAvailable, isPodReady } from '../pod-control/pod-state.ts';
import type { Pod } from '../pod-control/types.ts';
import type { DaemonSet, DaemonSetStatus } from './types.ts';

export function calculateStatus(
  ds: Readonly<DaemonSet>,
  nodes: readonly Readonly<Node>[],
  eligible: ReadonlySet<string>,
  podsByNode: ReadonlyMap<string, readonly Readonly<Pod>[]>,
  o: { hash: string; collisionCount: number; now: number },
): DaemonSetStatus {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    const pods = (podsByNode.get(name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
    if (!eligible.has(name)) {
      if (pods.length) misscheduled++;
      continue;
    }
    if (!pods.length) continue;
    current++;
    // The oldest pod speaks for the node, so a surge pod that is still starting costs no availability.
    const oldest = [...pods].sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    )[0] as Readonly<Pod>;
    if (isPodReady(oldest)) {
      ready++;
      if (isPodAvailable(oldest, minReadySeconds, o.now)) available++;
    }
    if (pods.some((p) => p.metadata.labels?.[controllerRevisionHashLabel] === o.hash)) updated++;
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: eligible.size,
    numberReady: ready,
  };
  if (ds.metadata.generation) status.observedGeneration = ds.metadata.generation;
  if (updated) status.updatedNumberScheduled = updated;
  if (available) status.numberAvailable = available;
  if (eligible.size - available > 0) status.numberUnavailable = eligible.size - available;
  if (o.collisionCount) status.collisionCount = o.collisionCount;
  return status;
}

export function sameStatus(a: Readonly<DaemonSetStatus> | undefined, b: Readonly<DaemonSetStatus>): boolean {
  if (!a) return false;
  const keys = [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ] as const;
  return keys.every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
