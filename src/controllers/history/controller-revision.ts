/**
 * ControllerRevisions, the history StatefulSets and DaemonSets keep of their pod templates
 * (kubernetes pkg/controller/history): one revision per distinct template, named
 * `<owner>-<hash>`, labelled controller.kubernetes.io/hash, numbered in order of use. The data is the
 * patch that restores the template (`{"spec":{"template":{…,"$patch":"replace"}}}`) as on a real
 * cluster, so `kubectl rollout history` and `rollout undo` read it.
 */
import { controllerRevisions } from '../../client/resources.ts';
import type { ResourceClient, ResourceRef } from '../../client/types.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { canonicalJSON, computeHash } from '../deployment/pod-template-hash.ts';
import { controllerRefFor } from '../pod-control/owner.ts';
import type { PodTemplateSpec } from '../pod-control/types.ts';

export const controllerRevisionHashLabel = 'controller-revision-hash';
export const revisionHashLabel = 'controller.kubernetes.io/hash';

export interface ControllerRevision extends KubeObject {
  data?: { spec?: { template?: PodTemplateSpec & { $patch?: string } } };
  revision: number;
}

export interface RevisionOwner extends KubeObject {
  spec?: { template?: PodTemplateSpec; revisionHistoryLimit?: number };
  status?: { collisionCount?: number };
}

export function revisionData(template: Readonly<PodTemplateSpec> | undefined): ControllerRevision['data'] {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The template a revision restores. */
export function templateOf(revision: Readonly<ControllerRevision>): PodTemplateSpec {
  const { $patch: _, ...template } = revision.data?.spec?.template ?? {};
  return template;
}

export function sameRevisionData(a: Readonly<ControllerRevision>, b: Readonly<ControllerRevision>): boolean {
  return canonicalJSON(a.data) === canonicalJSON(b.data);
}

export function newRevision(
  owner: Readonly<RevisionOwner>,
  revision: number,
  collisionCount: number | undefined,
): ControllerRevision {
  const hash = computeHash(owner.spec?.template ?? {}, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace ?? '',
      labels: { ...owner.spec?.template?.metadata?.labels, [revisionHashLabel]: hash },
      ownerReferences: [controllerRefFor(owner)],
    },
    data: revisionData(owner.spec?.template),
    revision,
  };
}

export const hashOf = (r: Readonly<ControllerRevision>) => r.metadata.labels?.[revisionHashLabel] ?? '';

export function sortByRevision(list: readonly Readonly<ControllerRevision>[]): Readonly<ControllerRevision>[] {
  return [...list].sort(
    (a, b) =>
      a.revision - b.revision || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  );
}

export interface Revisions {
  current: Readonly<ControllerRevision>;
  update: Readonly<ControllerRevision>;
  collisionCount: number;
}

/**
 * The owner's current and update revisions, creating or renumbering the update revision as needed
 * (getStatefulSetRevisions / constructHistory): an existing revision with the same template is reused
 * and, unless it is already the newest, moved to the next number; a name taken by a different
 * template bumps the collision count and hashes again.
 */
export async function reconcileRevisions(
  api: ResourceClient<ControllerRevision>,
  owner: Readonly<RevisionOwner>,
  owned: readonly Readonly<ControllerRevision>[],
  currentName: string | undefined,
): Promise<Revisions> {
  const sorted = sortByRevision(owned);
  const next = (sorted.at(-1)?.revision ?? 0) + 1;
  let collisionCount = owner.status?.collisionCount ?? 0;
  const candidate = newRevision(owner, next, collisionCount);
  const equal = sorted.filter((r) => sameRevisionData(r, candidate));
  let update: Readonly<ControllerRevision>;
  const latestEqual = equal.at(-1);
  if (latestEqual && latestEqual === sorted.at(-1)) {
    update = latestEqual;
  } else if (latestEqual) {
    update = await api.patch(latestEqual.metadata.name ?? '', latestEqual.metadata.namespace, 'merge', {
      revision: next,
    });
  } else {
    for (;;) {
      const attempt = newRevision(owner, next, collisionCount);
      try {
        update = await api.create(attempt);
        break;
      } catch (err) {
        if (!(isStatusError(err) && err.code === 409)) throw err;
        const existing = await api.get(attempt.metadata.name ?? '', attempt.metadata.namespace);
        if (sameRevisionData(existing, attempt)) {
          update = existing;
          break;
        }
        collisionCount++;
      }
    }
  }
  const current = sorted.find((r) => r.metadata.name === currentName) ?? update;
  return { current, update, collisionCount };
}

/** Revisions beyond revisionHistoryLimit (default 10) that no live pod uses, oldest first. */
export function revisionsToPrune(
  owned: readonly Readonly<ControllerRevision>[],
  inUse: ReadonlySet<string>,
  limit: number,
): Readonly<ControllerRevision>[] {
  const unused = sortByRevision(owned).filter((r) => !inUse.has(r.metadata.name ?? '') && !inUse.has(hashOf(r)));
  return unused.slice(0, Math.max(0, unused.length - limit));
}

/** The shared ref typed with the revision's shape. */
export const controllerRevisionsRef = controllerRevisions as ResourceRef<ControllerRevision>;
