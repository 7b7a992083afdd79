/**
 * One informer per resource (and selector set), shared by every controller that asks for it, so a
 * cluster with ten controllers watching pods holds one pod cache and one watch.
 */
import { setMaxListeners } from 'node:events';
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import type { KubeObject } from '../../types/meta.ts';
import type { Clock } from './clock.ts';
import { createInformer, type Informer, type InformerOptions } from './informer.ts';

export interface Informers {
  informerFor<T extends KubeObject>(
    ref: ResourceRef<T>,
    options?: Pick<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>,
  ): Informer<T>;
  /** Runs every informer created so far, and any created later, until `signal` aborts. */
  start(signal: AbortSignal): void;
  /** Resolves when every informer created so far has synced. */
  waitForSync(signal?: AbortSignal): Promise<void>;
}

export function createInformers(
  client: KubeClient,
  options: { clock?: Clock; freeze?: boolean; onError?(err: unknown): void } = {},
): Informers {
  const informers = new Map<string, Informer<KubeObject>>();
  let running: AbortSignal | undefined;
  const runs: Promise<void>[] = [];
  return {
    informerFor<T extends KubeObject>(
      ref: ResourceRef<T>,
      selectors: Pick<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'> = {},
    ): Informer<T> {
      const key = [
        ref.group,
        ref.version,
        ref.plural,
        selectors.namespace,
        selectors.labelSelector,
        selectors.fieldSelector,
      ]
        .map((p) => p ?? '')
        .join('|');
      let informer = informers.get(key);
      if (!informer) {
        informer = createInformer(client.resource(ref), { ...options, ...selectors }) as Informer<KubeObject>;
        informers.set(key, informer);
        if (running) runs.push(informer.run(running));
      }
      return informer as unknown as Informer<T>;
    },
    start(signal) {
      // Every informer and its watches listen on this one signal; that is by design, not a leak.
      setMaxListeners(0, signal);
      if (running) return;
      running = signal;
      for (const informer of informers.values()) runs.push(informer.run(signal));
    },
    async waitForSync(signal) {
      await Promise.all([...informers.values()].map((i) => i.waitForSync(signal)));
    },
  };
}
