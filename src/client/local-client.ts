/**
 * The in-process client: calls the registry directly, no HTTP and no JSON round trip. The registry may
 * hand out shared (even frozen) objects and may keep what it is given, so both directions are copied
 * (copyValue: structuredClone's result for JSON-shaped data, several times faster): callers own what
 * they pass and what they get back.
 */
import { copyValue } from '../copy-value.ts';
import type { Registry, RequestContext, ResourceDef } from '../registry/types.ts';
import { allVerbs } from '../registry/types.ts';
import { noSuchResource, type Status, StatusError } from '../status.ts';
import type { DeleteOptions, KubeList, KubeObject, UserInfo } from '../types/meta.ts';

import { localMetricsClient, metricsDefOf } from './local-metrics.ts';
import type { ClientWatchEvent, KubeClient, ResourceClient, ResourceRef, ServedResource } from './types.ts';
import { uniqueResources } from './unique-resources.ts';
import { withoutUndefined } from './without-undefined.ts';

export interface LocalClientOptions {
  /** The time metrics.k8s.io samples are taken at; tests on a fake clock pass theirs. Default Date.now. */
  now?: () => number;
  /**
   * Hand out the registry's deep-frozen objects from get, list and watch instead of copies (what is not
   * frozen is still copied): for components that only read what they are given, such as the scheduler,
   * whose informers otherwise copy every pod change. A mutation then throws instead of corrupting.
   */
  sharedReads?: boolean;
}

export function createLocalClient(registry: Registry, user: UserInfo, o: LocalClientOptions = {}): KubeClient {
  const context = (): RequestContext => ({ user });
  return {
    resource<T extends KubeObject>(ref: ResourceRef<T>): ResourceClient<T> {
      const metricsDef = metricsDefOf(ref);
      if (metricsDef) return localMetricsClient<T>(registry, metricsDef, context, o.now ?? Date.now);
      return localResourceClient<T>(registry, ref, context, o.sharedReads === true);
    },
    async serverResources() {
      const resources: ServedResource[] = registry.resources.all().map((def) => ({
        group: def.group,
        version: def.version,
        kind: def.kind,
        plural: def.plural,
        namespaced: def.namespaced,
        verbs: def.verbs ?? allVerbs,
      }));
      return { resources: uniqueResources(resources), failedGroups: [] };
    },
  };
}

function localResourceClient<T extends KubeObject>(
  registry: Registry,
  ref: ResourceRef<T>,
  context: () => RequestContext,
  sharedReads: boolean,
): ResourceClient<T> {
  // Looked up per call: CRDs come and go while a client lives.
  const def = (): ResourceDef => {
    const found = registry.resources.lookup(ref.group, ref.version, ref.plural);
    if (!found) throw noSuchResource();
    return found;
  };
  const copy = copyValue;
  const read: <V>(value: V) => V = sharedReads ? (v) => (Object.isFrozen(v) ? v : copyValue(v)) : copyValue;
  const namespaceOf = (o: KubeObject) => (ref.namespaced ? o.metadata.namespace : undefined);
  const deleteOptions = (o: DeleteOptions = {}): DeleteOptions => {
    const { gracePeriodSeconds, propagationPolicy, orphanDependents, preconditions, dryRun } = o;
    return copy(withoutUndefined({ gracePeriodSeconds, propagationPolicy, orphanDependents, preconditions, dryRun }));
  };

  /** PUT of the object itself or of an update subresource (status, finalize, scale). */
  async function put(object: KubeObject, subresource?: string): Promise<KubeObject> {
    const name = object.metadata.name ?? '';
    const options = subresource ? { subresource } : undefined;
    const result = await registry.update(def(), namespaceOf(object), name, copy(object), context(), options);
    return copy(result.object);
  }

  return {
    async get(name, namespace) {
      return read((await registry.get(def(), namespace, name, {}, context())) as T);
    },
    async getSubresource(name, namespace, subresource) {
      return copy((await registry.get(def(), namespace, name, { subresource }, context())) as KubeObject);
    },
    async list(o = {}) {
      const { namespace, ...options } = o;
      const list = await registry.list(def(), namespace, options, context());
      if (!sharedReads) return copy(list) as KubeList<T>;
      return { ...copy({ ...list, items: [] }), items: list.items.map(read) } as KubeList<T>;
    },
    async create(object) {
      return copy((await registry.create(def(), namespaceOf(object), copy(object), context())).object as T);
    },
    update: async (object) => (await put(object)) as T,
    updateStatus: async (object) => (await put(object, 'status')) as T,
    updateSubresource: (object, subresource) => put(object, subresource),
    async patch(name, namespace, type, body, o = {}) {
      const c = context();
      if (o.fieldManager) c.fieldManager = o.fieldManager;
      const options = withoutUndefined({ subresource: o.subresource, force: o.force });
      return copy((await registry.patch(def(), namespace, name, type, copy(body), c, options)).object as T);
    },
    async delete(name, namespace, o) {
      await registry.delete(def(), namespace, name, deleteOptions(o), context());
    },
    async deleteCollection(o = {}) {
      const { namespace, labelSelector, fieldSelector, ...rest } = o;
      const listOptions = withoutUndefined({ labelSelector, fieldSelector });
      await registry.deleteCollection(def(), namespace, listOptions, deleteOptions(rest), context());
    },
    watch(o) {
      const d = def();
      const { namespace, ...options } = o;
      return watchCopies<T>(registry.watch(d, namespace, options, context()), o.signal, read);
    },
    async createSubresource(name, namespace, subresource, body) {
      return copy(
        (await registry.createSubresource(def(), namespace, name, subresource, copy(body), context())).object,
      );
    },
  };
}

async function* watchCopies<T extends KubeObject>(
  events: AsyncIterable<{ type: string; object: unknown }>,
  signal: AbortSignal,
  read: (value: unknown) => unknown,
): AsyncIterable<ClientWatchEvent<T>> {
  try {
    for await (const event of events) {
      if (event.type === 'ERROR') throw new StatusError(event.object as Status);
      yield { type: event.type as ClientWatchEvent['type'], object: read(event.object) as T };
    }
  } catch (err) {
    if (signal.aborted && !(err instanceof StatusError)) return;
    throw err;
  }
}
