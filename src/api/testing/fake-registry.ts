/**
 * A small in-memory Registry for the HTTP layer's tests: enough behaviour (names, resourceVersion,
 * AlreadyExists/NotFound, merge patches, watches with initial events) to exercise every verb without a
 * store. The real registry has its own tests; these only check what the API layer does with answers.
 */
import type {
  DeleteResult,
  Registry,
  RequestContext,
  ResourceDef,
  ResourceTable,
  WatchOptions,
  WriteResult,
} from '../../registry/types.ts';
import { alreadyExists, notFound, successStatus } from '../../status.ts';
import type { KubeList, KubeObject, WatchEvent } from '../../types/meta.ts';

export const fakeResources: ResourceDef[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    strategy: { deleteReturnsObject: true },
    subresources: [
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    ],
    printer: {
      columns: [
        { name: 'Name', type: 'string', format: 'name', description: 'name', priority: 0 },
        { name: 'Node', type: 'string', format: '', description: 'node', priority: 1 },
      ],
      row: (o) => [o.metadata.name ?? '', String((o.spec as { nodeName?: string } | undefined)?.nodeName ?? '<none>')],
    },
  },
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    strategy: {},
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    strategy: {},
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    strategy: {},
    subresources: [
      { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    ],
  },
  {
    group: 'autoscaling',
    version: 'v1',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    strategy: {},
  },
  {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    strategy: {},
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    singular: 'lease',
    namespaced: true,
    verbs: ['create', 'get', 'list', 'update'],
    strategy: {},
  },
];

export function fakeResourceTable(
  defs: ResourceDef[] = fakeResources,
): ResourceTable & { add(def: ResourceDef): void } {
  const listeners = new Set<() => void>();
  return {
    all: () => defs,
    lookup: (g, v, p) => defs.find((d) => d.group === g && d.version === v && d.plural === p),
    byKind: (g, v, k) => defs.find((d) => d.group === g && d.version === v && d.kind === k),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add(def) {
      defs.push(def);
      for (const l of listeners) l();
    },
  };
}

export interface FakeRegistry extends Registry {
  /** Calls seen, for assertions: verb and the context. */
  calls: { verb: string; context: RequestContext; options?: unknown }[];
  /** Watch signals handed out, to check that disconnects abort them. */
  watchSignals: AbortSignal[];
}

const gr = (def: ResourceDef) => ({ group: def.group, resource: def.plural });
const clone = <T>(v: T): T => structuredClone(v);

export function createFakeRegistry(o: { encoded?: boolean; now?: () => string } = {}): FakeRegistry {
  const resources = fakeResourceTable([...fakeResources]);
  const objects = new Map<string, KubeObject>();
  const subscribers = new Set<(event: WatchEvent, def: ResourceDef) => void>();
  let revision = 1;
  let uid = 0;
  const calls: FakeRegistry['calls'] = [];
  const watchSignals: AbortSignal[] = [];
  const prefix = (def: ResourceDef, ns: string | undefined) => `${def.group}/${def.plural}/${ns ?? ''}/`;
  const emit = (type: WatchEvent['type'], object: KubeObject, def: ResourceDef) => {
    const event = { type, object: clone(object) };
    for (const s of subscribers) s(event, def);
  };
  const itemsOf = (def: ResourceDef, ns: string | undefined) =>
    [...objects]
      .filter(
        ([k]) => k.startsWith(`${def.group}/${def.plural}/`) && (ns === undefined || k.startsWith(prefix(def, ns))),
      )
      .map(([, v]) => v);
  const getObject = (def: ResourceDef, ns: string | undefined, name: string) => {
    const object = objects.get(prefix(def, ns) + name);
    if (!object) throw notFound(gr(def), name);
    return object;
  };
  const store = (def: ResourceDef, ns: string | undefined, object: KubeObject) => {
    object.metadata.resourceVersion = String(++revision);
    objects.set(prefix(def, ns) + object.metadata.name, object);
  };
  const registry: FakeRegistry = {
    resources,
    calls,
    watchSignals,
    async get(def, ns, name, options, context) {
      calls.push({ verb: 'get', context, options });
      return clone(getObject(def, ns, name));
    },
    async list(def, ns, options, context): Promise<KubeList> {
      calls.push({ verb: 'list', context, options });
      const [key, value] = (options.labelSelector ?? '').split('=');
      const items = itemsOf(def, ns).filter((i) => !key || i.metadata.labels?.[key] === value);
      return {
        kind: `${def.kind}List`,
        apiVersion: def.group ? `${def.group}/${def.version}` : 'v1',
        metadata: { resourceVersion: String(revision) },
        items: clone(items),
      };
    },
    async *watch(def, ns, options: WatchOptions, context) {
      calls.push({ verb: 'watch', context, options });
      watchSignals.push(options.signal);
      if (options.labelSelector === 'invalid!') throw notFound(gr(def), 'selector');
      const queue: WatchEvent[] = [];
      let wake: (() => void) | undefined;
      const subscriber = (event: WatchEvent, d: ResourceDef) => {
        if (d.plural !== def.plural || (ns && event.object.metadata.namespace !== ns)) return;
        queue.push(event);
        wake?.();
      };
      subscribers.add(subscriber);
      options.signal.addEventListener('abort', () => wake?.());
      try {
        if (!options.resourceVersion)
          for (const object of itemsOf(def, ns)) yield { type: 'ADDED' as const, object: clone(object) };
        while (!options.signal.aborted) {
          const next = queue.shift();
          if (next) yield next;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        subscribers.delete(subscriber);
      }
    },
    async create(def, ns, body, context): Promise<WriteResult> {
      calls.push({ verb: 'create', context });
      const object = clone(body) as KubeObject;
      object.metadata ??= {};
      if (ns) object.metadata.namespace = ns;
      const name = object.metadata.name ?? '';
      if (objects.has(prefix(def, ns) + name)) throw alreadyExists(gr(def), name);
      object.metadata.uid = `uid-${++uid}`;
      object.metadata.creationTimestamp = o.now?.() ?? '2026-01-01T00:00:00Z';
      context.warnings?.push('fake "warning" here');
      if (!context.dryRun) {
        store(def, ns, object);
        emit('ADDED', object, def);
      }
      return { object: clone(object), created: true };
    },
    async update(def, ns, name, body, context, options) {
      calls.push({ verb: 'update', context, options });
      const old = getObject(def, ns, name);
      const object = { ...(clone(body) as KubeObject) };
      object.metadata = { ...old.metadata, ...object.metadata };
      store(def, ns, object);
      emit('MODIFIED', object, def);
      return { object: clone(object), created: false };
    },
    async patch(def, ns, name, type, patch, context, options) {
      calls.push({ verb: `patch:${type}`, context, options });
      const old = clone(getObject(def, ns, name));
      const object = { ...old, ...(patch as object), metadata: old.metadata } as KubeObject;
      store(def, ns, object);
      emit('MODIFIED', object, def);
      return { object: clone(object), created: false };
    },
    async delete(def, ns, name, options, context): Promise<DeleteResult> {
      calls.push({ verb: 'delete', context, options });
      const object = getObject(def, ns, name);
      objects.delete(prefix(def, ns) + name);
      object.metadata.resourceVersion = String(++revision);
      emit('DELETED', object, def);
      return { object: clone(object), pending: false };
    },
    async deleteCollection(def, ns, listOptions, deleteOptions, context) {
      calls.push({ verb: 'deletecollection', context, options: { listOptions, deleteOptions } });
      const items = itemsOf(def, ns);
      for (const i of items) objects.delete(prefix(def, ns ?? i.metadata.namespace) + i.metadata.name);
      return {
        kind: `${def.kind}List`,
        apiVersion: 'v1',
        metadata: { resourceVersion: String(revision) },
        items: clone(items),
      };
    },
    async createSubresource(def, ns, name, subresource, _body, context) {
      calls.push({ verb: `create:${subresource}`, context });
      getObject(def, ns, name);
      return { object: successStatus(undefined, 201), code: 201 };
    },
  };
  if (o.encoded) {
    const encoder = new TextEncoder();
    registry.getEncoded = async (def, ns, name, _options, context) => {
      calls.push({ verb: 'getEncoded', context });
      return encoder.encode(JSON.stringify(getObject(def, ns, name)));
    };
    registry.listEncoded = async (def, ns, _options, context) => {
      calls.push({ verb: 'listEncoded', context });
      const items = itemsOf(def, ns);
      const bytes = encoder.encode(items.map((i) => JSON.stringify(i)).join(','));
      return {
        metadata: { resourceVersion: String(revision) },
        count: items.length,
        items: {
          byteLength: bytes.byteLength,
          *chunks() {
            if (bytes.byteLength > 0) yield bytes;
          },
        },
      };
    };
  }
  return registry;
}
