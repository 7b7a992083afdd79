import type { IEvent, IWatchRequest, IWatchResponse, Namespace } from 'etcd3';
import type { KeyRange } from './key-space.ts';

export interface EtcdWatchHandlers {
  /** One watch response's events, in revision order, each revision after the previous call's. */
  onEvents(events: IEvent[]): void;
  /**
   * etcd's own progress notice for this watch: every event in the range up to `revision` has been
   * sent. etcd sends these only for watches that have caught up (synced), so they never run ahead
   * of the events. (We do not use WatchProgressRequest: on etcd 3.4 before 3.4.25 its answer can
   * overtake pending events.)
   */
  onProgress(revision: number): void;
  /** History from `startRevision` is gone; the watch is over. */
  onCompacted(compactRevision: number): void;
  /** The stream broke; reconnecting follows. Only for observing it. */
  onDisconnect?(err: unknown): void;
}

export interface EtcdWatch {
  close(): void;
}

const initialBackoffMs = 50;
const maxBackoffMs = 2_000;

/**
 * One etcd watch over `range` from `startRevision`, with previous values, on its own gRPC stream,
 * resumed after a broken stream (a member stopping, a network blip) from the revision after the last
 * event it delivered, so the caller sees every event once and in order. The client's connection pool
 * picks a member for each new stream, which is how the watch moves to a live member.
 *
 * Written against the raw stream rather than etcd3's Watcher because we need `compact_revision` from
 * a cancellation and must resume from the last *event*: etcd3's Watcher resumes after the response
 * header's revision, which for a watch still catching up can be ahead of the events sent so far.
 */
export function openEtcdWatch(
  client: Namespace,
  range: KeyRange,
  startRevision: number,
  handlers: EtcdWatchHandlers,
): EtcdWatch {
  let nextRevision = startRevision;
  let isClosed = false;
  let backoffMs = initialBackoffMs;
  let cancelStream: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const reconnectLater = (err: unknown): void => {
    cancelStream?.();
    cancelStream = undefined;
    if (isClosed) return;
    handlers.onDisconnect?.(err);
    retryTimer = setTimeout(connect, backoffMs);
    backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
  };

  const handle = (response: IWatchResponse): void => {
    if (isClosed) return;
    if (response.canceled) {
      const compactRevision = Number(response.compact_revision);
      if (compactRevision > 0) {
        isClosed = true;
        cancelStream?.();
        handlers.onCompacted(compactRevision);
      } else {
        reconnectLater(new Error(`etcd canceled the watch: ${response.cancel_reason || 'no reason given'}`));
      }
      return;
    }
    backoffMs = initialBackoffMs;
    if (response.created) return;
    const last = response.events.at(-1);
    if (last) {
      nextRevision = Number(last.kv.mod_revision) + 1;
      handlers.onEvents(response.events);
    } else {
      const revision = Number(response.header.revision);
      if (revision >= nextRevision) nextRevision = revision + 1;
      handlers.onProgress(revision);
    }
  };

  const connect = (): void => {
    retryTimer = undefined;
    if (isClosed) return;
    client.watchClient.watch().then(
      (stream) => {
        if (isClosed) {
          stream.cancel();
          return;
        }
        let isCurrent = true;
        cancelStream = () => {
          isCurrent = false;
          stream.cancel();
        };
        stream
          .on('data', (response) => {
            if (isCurrent) handle(response);
          })
          .on('error', (err) => {
            if (isCurrent) reconnectLater(err);
          })
          .on('end', () => {
            if (isCurrent) reconnectLater(new Error('etcd watch stream ended'));
          });
        const request: IWatchRequest = {
          create_request: {
            key: range.key,
            range_end: range.rangeEnd,
            start_revision: nextRevision,
            prev_kv: true,
            progress_notify: true,
          },
        };
        stream.write(request);
      },
      (err: unknown) => reconnectLater(err),
    );
  };

  connect();
  return {
    close() {
      isClosed = true;
      if (retryTimer) clearTimeout(retryTimer);
      cancelStream?.();
      cancelStream = undefined;
    },
  };
}
