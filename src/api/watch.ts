/**
 * Watch responses (contract §9): a streaming body of newline-delimited `{"type","object"}` events.
 *
 * - Headers go out before the first event (kubectl's reflector blocks on them): the body is a
 *   ReadableStream and `Transfer-Encoding: chunked` is set, so @hono/node-server writes the head at once
 *   instead of peeking for a first chunk to compute a Content-Length.
 * - Each event object is serialized once however many watchers see it: lines are cached in a WeakMap
 *   keyed by the (shared) event object, so the cache empties itself when the registry drops the event.
 * - The registry's AbortSignal fires when the client goes away (the stream is cancelled; under
 *   node-server also on the response's 'close' — not the request's, which Node fires as soon as the
 *   request body is read), when `timeoutSeconds` passes, or when the registry's iterable ends.
 * - No gzip and no Content-Length: either would stop incremental delivery.
 */
import type { ResourceDef } from '../registry/types.ts';
import { internalError, isStatusError } from '../status.ts';
import type { KubeObject, WatchEvent } from '../types/meta.ts';
import type { IncludeObject } from './query.ts';
import { type TableVersion, toTable } from './table.ts';

const encoder = new TextEncoder();
const lineCache = new WeakMap<object, Map<string, Uint8Array>>();

/** The encoded line of a plain JSON event, shared by every watcher of the same event object. */
export function encodeEventLine(event: WatchEvent): Uint8Array {
  let byType = lineCache.get(event.object);
  if (!byType) {
    byType = new Map();
    lineCache.set(event.object, byType);
  }
  let line = byType.get(event.type);
  if (!line) {
    line = encoder.encode(`{"type":${JSON.stringify(event.type)},"object":${JSON.stringify(event.object)}}\n`);
    byType.set(event.type, line);
  }
  return line;
}

/** Per-stream encoder for Table watches: one-row Tables, columnDefinitions in the first event only. */
export function tableEventEncoder(
  def: ResourceDef,
  o: { includeObject: IncludeObject; version: TableVersion; now: () => number },
): (event: WatchEvent) => Uint8Array {
  let isFirst = true;
  return (event) => {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return encodeEventLine(event);
    const object = event.object as KubeObject;
    const resourceVersion = object.metadata?.resourceVersion;
    const table = toTable(def, [object], resourceVersion ? { resourceVersion } : {}, {
      includeObject: o.includeObject,
      version: o.version,
      now: o.now(),
      withColumns: isFirst,
    });
    isFirst = false;
    return encoder.encode(`${JSON.stringify({ type: event.type, object: table })}\n`);
  };
}

export interface WatchStreamOptions {
  events: AsyncIterable<WatchEvent>;
  /** Aborted when the stream ends for any reason; the registry's watch was given its signal. */
  abort: AbortController;
  encode: (event: WatchEvent) => Uint8Array;
  timeoutSeconds?: number | undefined;
  /** Called once when the stream is over (metrics, logging). */
  onEnd?: () => void;
}

const settleWindow = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts the watch and returns the streaming Response. Errors the registry raises before it starts
 * delivering (bad selectors, a resourceVersion that is too large) are thrown here, so the client gets a
 * proper Status response instead of a 200 with an ERROR event.
 */
export async function watchResponse(o: WatchStreamOptions): Promise<Response> {
  const iterator = o.events[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<WatchEvent>> | undefined = iterator.next();
  // If the client leaves before the first pull, nobody awaits `pending`; a rejection must not go unhandled.
  pending.catch(() => {});
  try {
    await Promise.race([pending, settleWindow()]);
  } catch (err) {
    o.abort.abort();
    throw err;
  }

  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
  const finish = () => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    o.abort.abort();
    void iterator.return?.()?.catch(() => {});
    try {
      controllerRef?.close();
    } catch {
      // Already closed or errored by the consumer.
    }
    o.onEnd?.();
  };
  o.abort.signal.addEventListener('abort', finish, { once: true });

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller;
      if (o.timeoutSeconds !== undefined) timer = setTimeout(finish, o.timeoutSeconds * 1000);
    },
    async pull(controller) {
      if (closed) return;
      try {
        const next = pending ?? iterator.next();
        pending = undefined;
        const result = await next;
        if (closed) return;
        if (result.done) return finish();
        controller.enqueue(o.encode(result.value));
      } catch (err) {
        if (closed) return;
        const status = isStatusError(err) ? err.status : logged(err);
        controller.enqueue(encodeEventLine({ type: 'ERROR', object: status as unknown as KubeObject }));
        finish();
      }
    },
    cancel() {
      finish();
    },
  });

  return new Response(stream, {
    status: 200,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    },
  });
}

function logged(err: unknown) {
  console.error('watch stream failed:', err);
  return internalError(err).status;
}
