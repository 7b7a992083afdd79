/**
 * The writes a deployment sync makes: finding or creating the new ReplicaSet (with its revision,
 * hash-named, collision-checked), scaling a ReplicaSet with a ScalingReplicaSet event, and the
 * Deployment's revision annotation and status. Mirrors kubernetes pkg/controller/deployment sync.go.
 */
import type { ResourceClient } from '../../client/types.ts';
import type { EventRecorder } from '../../events/recorder.ts';
import { isStatusError } from '../../status.ts';
import { controllerOf, controllerRefFor } from '../pod-control/owner.ts';
import type { ReplicaSet } from '../pod-control/types.ts';
import { toTime } from '../runtime/clock.ts';
import {
  maxRevision,
  replicasAnnotationsNeedUpdate,
  revisionAnnotation,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.ts';
import { getCondition, messages, newCondition, reasons, setCondition } from './conditions.ts';
import { computeHash, equalIgnoreHash, podTemplateHashLabel } from './pod-template-hash.ts';
import { findNewReplicaSet, oldReplicaSets } from './replica-sets.ts';
import { maxSurge, newReplicaSetReplicas, replicasOf, specReplicas } from './rollout-math.ts';
import type { Deployment } from './types.ts';

type RS = Readonly<ReplicaSet>;

export interface WriteDeps {
  replicaSets: ResourceClient<ReplicaSet>;
  deployments: ResourceClient<Deployment>;
  recorder: EventRecorder;
  now(): number;
}

export interface Writes {
  /** The new ReplicaSet, created when missing and `create` is set. */
  newReplicaSet(d: Deployment, list: readonly RS[], create: boolean): Promise<RS | undefined>;
  /** Scales to `replicas` (no-op when already there); true when the size changed. */
  scale(rs: RS, replicas: number, d: Deployment): Promise<{ scaled: boolean; rs: RS }>;
  /** Writes replicas and the desired/max annotations; records "Scaled up|down replica set …". */
  scaleAs(rs: RS, replicas: number, d: Deployment, direction: 'up' | 'down' | ''): Promise<{ scaled: boolean; rs: RS }>;
  updateStatus(d: Deployment): Promise<void>;
}

const hasProgressDeadline = (d: Readonly<Deployment>) => d.spec?.progressDeadlineSeconds !== undefined;

export function createWrites(w: WriteDeps): Writes {
  const at = () => toTime(w.now());

  async function updateStatus(d: Deployment): Promise<void> {
    const saved = await w.deployments.updateStatus(d);
    d.metadata = saved.metadata;
  }

  /**
   * The revision annotation lives in metadata, which a /status write does not change here, so it is a
   * patch of its own (Kubernetes writes both in one status update).
   */
  async function setRevision(d: Deployment, revision: string): Promise<void> {
    if (d.metadata.annotations?.[revisionAnnotation] === revision) return;
    const { namespace, name } = d.metadata;
    const body = { metadata: { annotations: { [revisionAnnotation]: revision } } };
    const saved = await w.deployments.patch(name ?? '', namespace, 'merge', body);
    d.metadata = saved.metadata;
  }

  async function scaleAs(rs: RS, replicas: number, d: Deployment, direction: 'up' | 'down' | '') {
    const sizeChanges = specReplicas(rs) !== replicas;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, d)) return { scaled: false, rs };
    const next = structuredClone(rs) as ReplicaSet;
    next.spec = { ...next.spec, replicas };
    setReplicasAnnotations(next, replicasOf(d), replicasOf(d) + maxSurge(d));
    const saved = await w.replicaSets.update(next);
    if (sizeChanges) {
      const from = specReplicas(rs);
      w.recorder.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      );
    }
    return { scaled: sizeChanges, rs: saved };
  }

  async function adoptExisting(d: Deployment, existing: RS, revision: number): Promise<RS> {
    const next = structuredClone(existing) as ReplicaSet;
    const annotationsChanged = setNewReplicaSetAnnotations(d, next, revision, true);
    const minReadySeconds = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (next.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
      next.spec = { ...next.spec, minReadySeconds };
      return w.replicaSets.update(next);
    }
    await setRevision(d, next.metadata.annotations?.[revisionAnnotation] ?? '');
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      d.status ??= {};
      const name = next.metadata.name ?? '';
      setCondition(
        d.status,
        newCondition('Progressing', 'True', reasons.foundNewReplicaSet, messages.found(name), at()),
      );
      await updateStatus(d);
    }
    return next;
  }

  async function newReplicaSet(d: Deployment, list: readonly RS[], create: boolean) {
    const existing = findNewReplicaSet(d, list);
    const old = oldReplicaSets(list, existing);
    const revision = maxRevision(old) + 1;
    if (existing) return adoptExisting(d, existing, revision);
    if (!create) return undefined;

    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    const labels = { ...template.metadata?.labels, [podTemplateHashLabel]: hash };
    template.metadata = { ...template.metadata, labels };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace ?? '',
        labels,
        ownerReferences: [controllerRefFor(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newReplicaSetReplicas(d, [...old, rs], rs);
    rs.spec = { ...rs.spec, replicas };
    setNewReplicaSetAnnotations(d, rs, revision, false);

    let created: RS;
    try {
      created = await w.replicaSets.create(rs);
    } catch (err) {
      if (isStatusError(err) && err.reason === 'AlreadyExists') {
        const found = await w.replicaSets.get(rs.metadata.name ?? '', rs.metadata.namespace);
        if (controllerOf(found)?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
          return found;
        }
        // A hash collision: another template already has this name. Hash again with a higher count.
        d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        await updateStatus(d);
        throw err;
      }
      const message = `Failed to create new replica set "${rs.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
      if (hasProgressDeadline(d)) {
        d.status ??= {};
        setCondition(d.status, newCondition('Progressing', 'False', reasons.failedReplicaSetCreate, message, at()));
        await updateStatus(d).catch(() => undefined);
      }
      w.recorder.event(d, 'Warning', reasons.failedReplicaSetCreate, message);
      throw err;
    }
    if (replicas > 0) {
      w.recorder.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`,
      );
    }
    await setRevision(d, String(revision));
    if (hasProgressDeadline(d)) {
      d.status ??= {};
      const name = created.metadata.name ?? '';
      setCondition(
        d.status,
        newCondition('Progressing', 'True', reasons.newReplicaSetCreated, messages.created(name), at()),
      );
      await updateStatus(d);
    }
    return created;
  }

  return {
    newReplicaSet,
    async scale(rs, replicas, d) {
      if (specReplicas(rs) === replicas) return { scaled: false, rs };
      return scaleAs(rs, replicas, d, specReplicas(rs) < replicas ? 'up' : 'down');
    },
    scaleAs,
    updateStatus,
  };
}
