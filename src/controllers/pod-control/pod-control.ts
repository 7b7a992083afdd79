/**
 * Creating and deleting a controller's pods with expectations, events and slow start — the part of
 * kubernetes pkg/controller (PodControl + manageReplicas) every workload controller shares.
 */
import type { ResourceClient } from '../../client/types.ts';
import type { EventRecorder } from '../../events/recorder.ts';
import { isStatusError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { keyOf } from '../runtime/cache.ts';
import { podsToDelete } from './deletion-order.ts';
import type { Expectations } from './expectations.ts';
import { podFromTemplate } from './pod-from-template.ts';
import type { ManageError } from './replica-status.ts';
import { slowStartBatch } from './slow-start.ts';
import type { Pod, PodTemplateSpec } from './types.ts';

/** controller.SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;

export interface PodControl {
  /** Creates `count` pods from the template; resolves with the failure to report, if any. */
  createPods(
    ownerKey: string,
    owner: Readonly<KubeObject>,
    template: Readonly<PodTemplateSpec>,
    count: number,
  ): Promise<ManageError | undefined>;
  /** Deletes the `count` pods of `active` that go first (see deletion-order.ts). */
  deletePods(
    ownerKey: string,
    owner: Readonly<KubeObject>,
    active: readonly Readonly<Pod>[],
    related: readonly Readonly<Pod>[],
    count: number,
    now: number,
  ): Promise<ManageError | undefined>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A namespace being deleted refuses new pods; that is not the controller's failure to report. */
function isNamespaceTerminating(err: unknown): boolean {
  return (
    isStatusError(err) &&
    (err.status.details?.causes ?? []).some((c) => (c as { type?: string }).type === 'NamespaceTerminating')
  );
}

export function createPodControl(d: {
  api: ResourceClient<Pod>;
  recorder: EventRecorder;
  expectations: Expectations;
}): PodControl {
  return {
    async createPods(ownerKey, owner, template, count) {
      d.expectations.expectCreations(ownerKey, count);
      const result = await slowStartBatch(count, slowStartInitialBatchSize, async () => {
        try {
          const created = await d.api.create(podFromTemplate(template, owner));
          d.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (err) {
          if (isNamespaceTerminating(err)) return;
          d.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${messageOf(err)}`);
          throw err;
        }
      });
      // Creates that failed or never ran will never be observed; stop waiting for them.
      for (let i = result.successes; i < count; i++) d.expectations.creationObserved(ownerKey);
      return result.error === undefined ? undefined : { reason: 'FailedCreate', message: messageOf(result.error) };
    },

    async deletePods(ownerKey, owner, active, related, count, now) {
      const doomed = podsToDelete(active, related, count, now);
      d.expectations.expectDeletions(ownerKey, doomed.map(keyOf));
      const failures: unknown[] = [];
      await Promise.all(
        doomed.map(async (pod) => {
          try {
            await d.api.delete(pod.metadata.name ?? '', pod.metadata.namespace);
            d.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
          } catch (err) {
            d.expectations.deletionObserved(ownerKey, keyOf(pod));
            if (isStatusError(err) && err.code === 404) return;
            d.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(err)}`);
            failures.push(err);
          }
        }),
      );
      return failures.length ? { reason: 'FailedDelete', message: messageOf(failures[0]) } : undefined;
    },
  };
}
