/**
 * The main-thread half of a KubeClient that crosses threads: answers a port client's requests
 * (port-client.ts) by calling a real client, usually a local one with `sharedReads`, so a component
 * such as the scheduler can run in a worker while the registry stays here.
 *
 * The protocol is one structured-clone message per request, reply and watch event, keyed by a numeric
 * id the worker picks. Results go to postMessage as they are: the clone is the only copy made, which
 * is why a sharedReads client (frozen shared objects, never copied) is the right one to serve.
 */
import type { MessagePort } from 'node:worker_threads';
import { isStatusError, type Status } from '../status.ts';
import type { DeleteOptions, KubeObject } from '../types/meta.ts';
import type {
  ClientWatchEvent,
  DeleteCollectionOptions,
  KubeClient,
  ListOptions,
  PatchOptions,
  PatchType,
  ResourceClient,
  ResourceRef,
  WatchOptions,
} from './types.ts';

/** A ResourceRef as it travels: only its data fields, so a ResourceDef with functions can never be sent. */
export type PortRef = Pick<ResourceRef, 'group' | 'version' | 'plural' | 'kind' | 'namespaced'>;

type ObjectCall<V extends string> = { verb: V; id: number; ref: PortRef; object: KubeObject };

/** The ResourceClient calls, one variant per method, arguments by name (no argument arrays to allocate). */
export type PortCall =
  | { verb: 'get'; id: number; ref: PortRef; name: string; namespace: string | undefined }
  | { verb: 'list'; id: number; ref: PortRef; options: ListOptions | undefined }
  | ObjectCall<'create'>
  | ObjectCall<'update'>
  | ObjectCall<'updateStatus'>
  | {
      verb: 'getSubresource';
      id: number;
      ref: PortRef;
      name: string;
      namespace: string | undefined;
      subresource: string;
    }
  | { verb: 'updateSubresource'; id: number; ref: PortRef; object: KubeObject; subresource: string }
  | {
      verb: 'patch';
      id: number;
      ref: PortRef;
      name: string;
      namespace: string | undefined;
      type: PatchType;
      body: unknown;
      options: PatchOptions | undefined;
    }
  | {
      verb: 'delete';
      id: number;
      ref: PortRef;
      name: string;
      namespace: string | undefined;
      options: DeleteOptions | undefined;
    }
  | { verb: 'deleteCollection'; id: number; ref: PortRef; options: DeleteCollectionOptions | undefined }
  | {
      verb: 'createSubresource';
      id: number;
      ref: PortRef;
      name: string;
      namespace: string | undefined;
      subresource: string;
      body: unknown;
    };

/** Worker → main. A watch's signal stays on the worker; aborting it sends `cancel` with the watch's id. */
export type PortRequest =
  | PortCall
  | { verb: 'watch'; id: number; ref: PortRef; options: Omit<WatchOptions, 'signal'> }
  | { verb: 'serverResources'; id: number }
  | { verb: 'cancel'; id: number };

/**
 * Main → worker. `status` and `error` answer a call or end a watch with a failure; `end` ends a watch
 * normally. A StatusError travels as its Status, anything else as its message.
 */
export type PortReply =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'event'; id: number; event: ClientWatchEvent }
  | { kind: 'end'; id: number }
  | { kind: 'status'; id: number; status: Status }
  | { kind: 'error'; id: number; message: string };

type CallHandlers = {
  [V in PortCall['verb']]: (client: ResourceClient, m: Extract<PortCall, { verb: V }>) => Promise<unknown>;
};

const callHandlers: CallHandlers = {
  get: (c, m) => c.get(m.name, m.namespace),
  list: (c, m) => c.list(m.options),
  create: (c, m) => c.create(m.object),
  update: (c, m) => c.update(m.object),
  updateStatus: (c, m) => c.updateStatus(m.object),
  getSubresource: (c, m) => c.getSubresource(m.name, m.namespace, m.subresource),
  updateSubresource: (c, m) => c.updateSubresource(m.object, m.subresource),
  patch: (c, m) => c.patch(m.name, m.namespace, m.type, m.body, m.options),
  delete: (c, m) => c.delete(m.name, m.namespace, m.options),
  deleteCollection: (c, m) => c.deleteCollection(m.options),
  createSubresource: (c, m) => c.createSubresource(m.name, m.namespace, m.subresource, m.body),
};

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Serves `client` on `port` until close(), which aborts the watches still running and removes the
 * listeners (a port with no 'message' listener no longer keeps the event loop alive). The port itself
 * belongs to the caller. When the other end goes away (the worker exited), its watches are aborted too,
 * or the registry would keep feeding watchers nobody reads.
 */
export function servePort(port: MessagePort, client: KubeClient): { close(): void } {
  const watches = new Map<number, AbortController>();
  let isClosed = false;

  function post(reply: PortReply): void {
    if (isClosed) return;
    try {
      port.postMessage(reply);
    } catch (err) {
      // A value structured clone refuses (a function, a symbol) must still answer the caller, not hang it.
      port.postMessage({ kind: 'error', id: reply.id, message: `cannot send the reply: ${errorMessage(err)}` });
    }
  }

  function postFailure(id: number, err: unknown): void {
    if (isStatusError(err)) post({ kind: 'status', id, status: err.status });
    else post({ kind: 'error', id, message: errorMessage(err) });
  }

  async function answer(m: PortCall): Promise<void> {
    try {
      // Resolved per call, like the local client's defs: nothing kept here can go stale.
      const handle = callHandlers[m.verb] as (client: ResourceClient, m: PortCall) => Promise<unknown>;
      post({ kind: 'result', id: m.id, value: await handle(client.resource(m.ref), m) });
    } catch (err) {
      postFailure(m.id, err);
    }
  }

  async function answerServerResources(id: number): Promise<void> {
    try {
      post({ kind: 'result', id, value: await client.serverResources() });
    } catch (err) {
      postFailure(id, err);
    }
  }

  async function streamWatch(m: Extract<PortRequest, { verb: 'watch' }>): Promise<void> {
    const controller = new AbortController();
    watches.set(m.id, controller);
    const { signal } = controller;
    try {
      const options = m.options as WatchOptions;
      options.signal = signal; // the message is this side's own clone, so it can carry the signal
      // Each event is posted as it comes, never held here: the port queues what the worker has not read.
      for await (const event of client.resource(m.ref).watch(options)) {
        if (signal.aborted) break;
        post({ kind: 'event', id: m.id, event });
      }
      if (!signal.aborted) post({ kind: 'end', id: m.id });
    } catch (err) {
      // After a cancel the worker has already ended its iterator and forgotten the id.
      if (!signal.aborted) postFailure(m.id, err);
    } finally {
      watches.delete(m.id);
    }
  }

  function onMessage(m: PortRequest): void {
    switch (m.verb) {
      case 'watch':
        void streamWatch(m);
        return;
      case 'cancel':
        watches.get(m.id)?.abort();
        return;
      case 'serverResources':
        void answerServerResources(m.id);
        return;
      default:
        void answer(m);
    }
  }

  function close(): void {
    if (isClosed) return;
    isClosed = true;
    port.off('message', onMessage);
    port.off('close', close);
    for (const controller of watches.values()) controller.abort();
    watches.clear();
  }

  port.on('message', onMessage);
  port.on('close', close);
  return { close };
}
