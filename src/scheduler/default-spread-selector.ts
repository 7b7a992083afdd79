/**
 * Which pods a pod's default topology spread constraints count, as kube-scheduler works it out: the
 * selectors of the Services in the pod's namespace that select it, plus the selector of the
 * ReplicaSet, ReplicationController or StatefulSet that controls it. Everything that selects the pod
 * selects its labels, so the parts cannot conflict and are simply joined. A pod that nothing selects
 * gets no selector, and so no default spreading.
 */
import { replicaSets, replicationControllers, services, statefulSets } from '../client/resources.ts';
import { byNamespace } from '../controllers/runtime/cache.ts';
import type { Informers } from '../controllers/runtime/informer-factory.ts';
import { labelSelectorFromSpec } from '../selectors/index.ts';
import type { KubeObject, LabelSelector } from '../types/meta.ts';
import type { Pod } from './types.ts';

export type DefaultSpreadSelector = (pod: Pod) => LabelSelector | undefined;

export interface DefaultSpreadSelectorSource {
  selectorFor: DefaultSpreadSelector;
  waitForSync(signal: AbortSignal): Promise<void>;
}

type WithSelector = KubeObject & { spec?: { selector?: unknown } };

export function createDefaultSpreadSelectors(informers: Informers): DefaultSpreadSelectorSource {
  const serviceInformer = informers.informerFor(services);
  serviceInformer.addIndex('namespace', byNamespace);
  // The controller's kind picks where to look it up; its selector shape differs by kind.
  const controllers = {
    'v1/ReplicationController': { informer: informers.informerFor(replicationControllers), mapSelector: true },
    'apps/v1/ReplicaSet': { informer: informers.informerFor(replicaSets), mapSelector: false },
    'apps/v1/StatefulSet': { informer: informers.informerFor(statefulSets), mapSelector: false },
  } as const;
  const all = [serviceInformer, ...Object.values(controllers).map((c) => c.informer)];

  return {
    selectorFor(pod) {
      const namespace = pod.metadata.namespace ?? 'default';
      const labels = pod.metadata.labels ?? {};
      const matchLabels: Record<string, string> = {};
      for (const service of serviceInformer.byIndex('namespace', namespace) as WithSelector[]) {
        const selector = service.spec?.selector as Record<string, string> | undefined;
        // A Service without a selector selects nothing (its endpoints are managed by hand).
        if (!selector || Object.keys(selector).length === 0) continue;
        if (Object.entries(selector).every(([k, v]) => labels[k] === v)) Object.assign(matchLabels, selector);
      }
      const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
      const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
      const kind = owner && controllers[`${owner.apiVersion}/${owner.kind}` as keyof typeof controllers];
      const controller = kind && owner && (kind.informer.getByName(namespace, owner.name) as WithSelector | undefined);
      if (kind && controller) {
        const selector = controller.spec?.selector;
        if (kind.mapSelector) Object.assign(matchLabels, selector as Record<string, string> | undefined);
        else {
          const spec = selector as LabelSelector | undefined;
          // An invalid selector adds nothing, as a failed conversion does in kube-scheduler.
          if (spec && isValid(spec)) {
            Object.assign(matchLabels, spec.matchLabels);
            matchExpressions.push(...(spec.matchExpressions ?? []));
          }
        }
      }
      if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return undefined;
      return matchExpressions.length ? { matchLabels, matchExpressions } : { matchLabels };
    },
    async waitForSync(signal) {
      await Promise.all(all.map((i) => i.waitForSync(signal)));
    },
  };
}

function isValid(spec: LabelSelector): boolean {
  try {
    labelSelectorFromSpec(spec);
    return true;
  } catch {
    return false;
  }
}
