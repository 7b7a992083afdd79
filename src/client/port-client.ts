/**
 * The worker-thread half of a KubeClient that crosses threads: every call becomes one message to a
 * port server (port-server.ts) on the main thread, every reply and watch event one message back.
 *
 * Structured clone does the copying both ways, so callers own what they pass and what they get, as with
 * the other clients. Pending calls are a Map keyed by a numeric id; a watch is a small queue fed by its
 * events, in port order, so events arrive in the order the server saw them.
 */
import type { MessagePort } from 'node:worker_threads';
import { StatusError } from '../status.ts';
import type { DeleteOptions, KubeList, KubeObject } from '../types/meta.ts';
import type { PortCall, PortRef, PortReply, PortRequest } from './port-server.ts';
import type {
  ClientWatchEvent,
  DeleteCollectionOptions,
  KubeClient,
  ListOptions,
  PatchOptions,
  PatchType,
  ResourceClient,
  ResourceRef,
  ServedResource,
  WatchOptions,
} from './types.ts';

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** What the resource clients and watches share: one port, one id sequence, the pending calls. */
class Connection {
  private nextId = 1;
  readonly calls = new Map<number, PendingCall>();
  readonly watches = new Map<number, PortWatch>();
  /** Set once the client is closed or the port is gone; every later call fails with it. */
  closedBy: Error | undefined;

  constructor(readonly port: MessagePort) {}

  newId(): number {
    return this.nextId++;
  }

  /** Sends a call with the id it was built with; the id must come from newId(). */
  call(message: PortCall | Extract<PortRequest, { verb: 'serverResources' }>): Promise<unknown> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    return new Promise((resolve, reject) => {
      this.calls.set(message.id, { resolve, reject });
      this.port.postMessage(message);
    });
  }

  send(message: PortRequest): void {
    this.port.postMessage(message);
  }

  readonly onMessage = (m: PortReply): void => {
    switch (m.kind) {
      case 'event':
        this.watches.get(m.id)?.push(m.event);
        return;
      case 'result':
        this.settle(m.id)?.resolve(m.value);
        return;
      case 'end':
        this.watches.get(m.id)?.end();
        return;
      case 'status':
        this.fail(m.id, new StatusError(m.status));
        return;
      case 'error':
        this.fail(m.id, new Error(m.message));
        return;
      default:
        assertNever(m);
    }
  };

  private settle(id: number): PendingCall | undefined {
    const call = this.calls.get(id);
    if (call) this.calls.delete(id);
    return call;
  }

  private fail(id: number, err: Error): void {
    const call = this.settle(id);
    if (call) call.reject(err);
    else this.watches.get(id)?.fail(err);
  }

  /**
   * Rejects pending calls with `reason` and ends open watches: quietly for close(), since the caller
   * chose to stop, or with `reason` when the port closed under them (the server is gone, so an informer
   * should see an error rather than a clean end it would answer with a re-list).
   */
  shutdown(reason: Error, failWatches: boolean): void {
    if (this.closedBy) return;
    // Cancels first, while sending is still allowed: the server's watches stop instead of posting on.
    for (const watch of [...this.watches.values()]) {
      if (failWatches) watch.fail(reason);
      else watch.cancel();
    }
    this.closedBy = reason;
    this.port.off('message', this.onMessage);
    this.port.off('close', this.onClose);
    for (const call of this.calls.values()) call.reject(reason);
    this.calls.clear();
  }

  readonly onClose = (): void => this.shutdown(new Error('port client: the port was closed'), true);
}

function assertNever(value: never): never {
  throw new Error(`port client: unexpected message ${JSON.stringify(value)}`);
}

const done: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * One watch, single use like an async generator: the request goes out on the first next(), so a watch
 * that is never iterated costs the server nothing. Events wait in `events` from `head` on; a one-slot
 * waiter stands for the next() in progress (for await never has two).
 */
class PortWatch implements AsyncIterableIterator<ClientWatchEvent> {
  private state: 'idle' | 'open' | 'ended' = 'idle';
  private readonly id: number;
  private events: ClientWatchEvent[] = [];
  private head = 0;
  private error: Error | undefined;
  private waiter: PendingCall | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly ref: PortRef,
    private readonly options: Omit<WatchOptions, 'signal'>,
    private readonly signal: AbortSignal,
  ) {
    this.id = connection.newId();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ClientWatchEvent>> {
    if (this.state === 'idle') this.start();
    if (this.head < this.events.length) {
      const event = this.events[this.head++] as ClientWatchEvent;
      if (this.head === this.events.length) {
        this.events.length = 0;
        this.head = 0;
      }
      return Promise.resolve({ done: false, value: event });
    }
    if (this.error) {
      const err = this.error;
      this.error = undefined;
      return Promise.reject(err);
    }
    if (this.state === 'ended') return Promise.resolve(done);
    if (this.waiter) return Promise.reject(new Error('port client: next() called while another is pending'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve: resolve as (value: unknown) => void, reject };
    });
  }

  /** A consumer breaking out of for await: the server's watch must stop as on an abort. */
  return(): Promise<IteratorResult<ClientWatchEvent>> {
    this.cancel();
    return Promise.resolve(done);
  }

  push(event: ClientWatchEvent): void {
    const waiter = this.waiter;
    if (!waiter) {
      this.events.push(event);
      return;
    }
    this.waiter = undefined;
    waiter.resolve({ done: false, value: event });
  }

  /** The server's watch ended; events already queued are still delivered first. */
  end(): void {
    this.finish();
    this.waiter?.resolve(done);
    this.waiter = undefined;
  }

  /** The server's watch failed; the queued events come first, then next() throws `err` once. */
  fail(err: Error): void {
    if (this.state === 'ended') return;
    this.finish();
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter.reject(err);
    else this.error = err;
  }

  /**
   * Abort, return() or close(): tell the server, drop what is queued and end quietly, as the local
   * client's watch ends on an abort.
   */
  cancel(): void {
    if (this.state === 'open' && !this.connection.closedBy) this.connection.send({ verb: 'cancel', id: this.id });
    this.finish();
    this.events.length = 0;
    this.head = 0;
    this.error = undefined;
    this.waiter?.resolve(done);
    this.waiter = undefined;
  }

  private readonly onAbort = (): void => this.cancel();

  private start(): void {
    const { connection, signal } = this;
    if (connection.closedBy) {
      this.state = 'ended';
      this.error = connection.closedBy;
      return;
    }
    if (signal.aborted) {
      this.state = 'ended';
      return;
    }
    this.state = 'open';
    connection.watches.set(this.id, this);
    signal.addEventListener('abort', this.onAbort, { once: true });
    connection.send({ verb: 'watch', id: this.id, ref: this.ref, options: this.options });
  }

  private finish(): void {
    if (this.state === 'open') {
      this.connection.watches.delete(this.id);
      this.signal.removeEventListener('abort', this.onAbort);
    }
    this.state = 'ended';
  }
}

/** Methods on a prototype: a resource() call allocates one small object, not a dozen closures. */
class PortResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(
    private readonly connection: Connection,
    private readonly ref: PortRef,
  ) {}

  get(name: string, namespace?: string): Promise<T> {
    const { connection, ref } = this;
    return connection.call({ verb: 'get', id: connection.newId(), ref, name, namespace }) as Promise<T>;
  }

  list(options?: ListOptions): Promise<KubeList<T>> {
    const { connection, ref } = this;
    return connection.call({ verb: 'list', id: connection.newId(), ref, options }) as Promise<KubeList<T>>;
  }

  create(object: T): Promise<T> {
    const { connection, ref } = this;
    return connection.call({ verb: 'create', id: connection.newId(), ref, object }) as Promise<T>;
  }

  update(object: T): Promise<T> {
    const { connection, ref } = this;
    return connection.call({ verb: 'update', id: connection.newId(), ref, object }) as Promise<T>;
  }

  updateStatus(object: T): Promise<T> {
    const { connection, ref } = this;
    return connection.call({ verb: 'updateStatus', id: connection.newId(), ref, object }) as Promise<T>;
  }

  getSubresource(name: string, namespace: string | undefined, subresource: string): Promise<KubeObject> {
    const { connection, ref } = this;
    const id = connection.newId();
    return connection.call({ verb: 'getSubresource', id, ref, name, namespace, subresource }) as Promise<KubeObject>;
  }

  updateSubresource(object: KubeObject, subresource: string): Promise<KubeObject> {
    const { connection, ref } = this;
    const id = connection.newId();
    return connection.call({ verb: 'updateSubresource', id, ref, object, subresource }) as Promise<KubeObject>;
  }

  patch(
    name: string,
    namespace: string | undefined,
    type: PatchType,
    body: unknown,
    options?: PatchOptions,
  ): Promise<T> {
    const { connection, ref } = this;
    const id = connection.newId();
    return connection.call({ verb: 'patch', id, ref, name, namespace, type, body, options }) as Promise<T>;
  }

  async delete(name: string, namespace?: string, options?: DeleteOptions): Promise<void> {
    const { connection, ref } = this;
    await connection.call({ verb: 'delete', id: connection.newId(), ref, name, namespace, options });
  }

  async deleteCollection(options?: DeleteCollectionOptions): Promise<void> {
    const { connection, ref } = this;
    await connection.call({ verb: 'deleteCollection', id: connection.newId(), ref, options });
  }

  watch(options: WatchOptions): AsyncIterable<ClientWatchEvent<T>> {
    // An AbortSignal cannot be cloned: it stays here, and its abort travels as a cancel message.
    const { signal, ...rest } = options;
    return new PortWatch(this.connection, this.ref, rest, signal) as AsyncIterable<ClientWatchEvent<T>>;
  }

  createSubresource(name: string, namespace: string | undefined, subresource: string, body: unknown): Promise<unknown> {
    const { connection, ref } = this;
    const id = connection.newId();
    return connection.call({ verb: 'createSubresource', id, ref, name, namespace, subresource, body });
  }
}

/**
 * A KubeClient whose calls are answered by servePort() on the other end of `port`. close() rejects the
 * pending calls, ends open watches (telling the server to stop them) and removes the listeners, so the
 * port no longer keeps the thread alive; the port itself belongs to the caller.
 */
export function createPortClient(port: MessagePort): KubeClient & { close(): void } {
  const connection = new Connection(port);
  port.on('message', connection.onMessage);
  port.on('close', connection.onClose);
  return {
    resource<T extends KubeObject>(ref: ResourceRef<T>): ResourceClient<T> {
      // Only the data fields: a caller passing a ResourceDef (which carries functions) would make every
      // postMessage throw DataCloneError.
      const { group, version, plural, kind, namespaced } = ref;
      return new PortResourceClient<T>(connection, { group, version, plural, kind, namespaced });
    },
    serverResources() {
      const id = connection.newId();
      return connection.call({ verb: 'serverResources', id }) as Promise<{
        resources: ServedResource[];
        failedGroups: string[];
      }>;
    },
    close() {
      connection.shutdown(new Error('port client: closed'), false);
    },
  };
}
