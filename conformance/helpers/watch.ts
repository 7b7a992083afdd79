/** Watch helpers: wait on a live stream for the event a test expects, with a deadline. */
import type { ClientWatchEvent, ResourceClient, WatchOptions } from '../../src/client/index.ts';
import type { KubeObject } from '../../src/types/meta.ts';
import type { ConformanceContext } from '../suite.ts';

export interface OpenWatch<T extends KubeObject> {
  /** Resolves with the first event (after those already consumed) that matches. */
  next(match: (e: ClientWatchEvent<T>) => boolean, what: string, timeoutMs?: number): Promise<ClientWatchEvent<T>>;
  /** Every event consumed so far, in order. */
  seen: ClientWatchEvent<T>[];
  close(): void;
}

/**
 * Starts a watch now; events are buffered until `next` asks for them. Resolves once the start is fixed,
 * as client-go's Watch returns once the server holds the watch: a watch without a resourceVersion would
 * otherwise start wherever the server is when the request arrives, before or after the caller's next
 * write. So it lists first (the ADDED events such a watch begins with) and watches from the list.
 */
export async function openWatch<T extends KubeObject>(
  client: ResourceClient<T>,
  options: Omit<WatchOptions, 'signal'>,
  parent: AbortSignal,
): Promise<OpenWatch<T>> {
  const controller = new AbortController();
  parent.addEventListener('abort', () => controller.abort(), { once: true });
  const buffer: ClientWatchEvent<T>[] = [];
  const seen: ClientWatchEvent<T>[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let ended = false;
  let from = options;
  if (options.resourceVersion === undefined || options.resourceVersion === '0') {
    const { namespace, labelSelector, fieldSelector } = options;
    const list = await client.list({
      ...(namespace ? { namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    });
    for (const object of list.items) buffer.push({ type: 'ADDED', object });
    from = { ...options, resourceVersion: list.metadata.resourceVersion ?? '' };
  }
  void (async () => {
    try {
      for await (const event of client.watch({ ...from, signal: controller.signal })) {
        buffer.push(event);
        wake?.();
      }
    } catch (err) {
      failure = err;
    } finally {
      ended = true;
      wake?.();
    }
  })();
  return {
    seen,
    close: () => controller.abort(),
    async next(match, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (buffer.length > 0) {
          const event = buffer.shift() as ClientWatchEvent<T>;
          seen.push(event);
          if (match(event)) return event;
        }
        if (failure) throw failure;
        if (ended) throw new Error(`watch ended before ${what}`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no watch event for ${what} within ${timeoutMs} ms (saw ${seen.map(describe).join(', ')})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    },
  };
}

const describe = (e: ClientWatchEvent) => `${e.type} ${e.object.metadata.name ?? ''}`;

/** Matches an event by type and object name. */
export const eventFor =
  (type: ClientWatchEvent['type'], name: string) =>
  (e: ClientWatchEvent): boolean =>
    e.type === type && e.object.metadata.name === name;

/**
 * Lists with `options`, then watches from that list's resourceVersion (upstream's watchtools.Until
 * from a list), so no event after the list is missed; the watch closes when the test ends.
 */
export async function watchFromList<T extends KubeObject>(
  ctx: ConformanceContext,
  client: ResourceClient<T>,
  options: Omit<WatchOptions, 'signal' | 'resourceVersion'>,
) {
  const list = await client.list(options);
  const watch = await openWatch(client, { ...options, resourceVersion: list.metadata.resourceVersion }, ctx.signal);
  ctx.defer(async () => watch.close());
  return { list, watch };
}
