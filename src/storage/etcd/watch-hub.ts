import type { IEvent, Namespace } from 'etcd3';
import { StorageError, type StoreEvent } from '../types.ts';
import { type EtcdWatch, openEtcdWatch } from './etcd-watch.ts';
import type { KeySpace } from './key-space.ts';
import { toStoreEvents } from './store-events.ts';
import { WatcherQueue } from './watcher-queue.ts';

export interface WatchHubOptions {
  client: Namespace;
  keys: KeySpace;
  /** The revision the hub is known to be current at: it watches from the next one. */
  revision: number;
  /** How many recent events the hub keeps in memory to start watches from without asking etcd. */
  windowEvents: number;
  /** How far (in events) one watcher may fall behind before it is failed with `WatcherTooSlow`. */
  watcherBufferEvents: number;
  /** Called when etcd reports a compaction point. */
  onCompacted(revision: number): void;
}

export interface Subscription {
  queue: WatcherQueue;
  /** A revision up to which this watcher has been told every change under its prefix. */
  progressRevision(): number;
  close(): void;
}

interface Subscriber {
  prefix: string;
  afterRevision: number;
  /** Every event the watcher wants up to this revision is in its queue. */
  delivered: number;
  queue: WatcherQueue;
  /** Set while the watcher reads history older than the window from its own etcd watch. */
  catchUp?: EtcdWatch;
}

interface WindowEntry {
  revision: number;
  events: StoreEvent[];
}

/**
 * One etcd watch per store over the store's whole key space, fanned out to every watcher in memory,
 * as kine and the Kubernetes cacher do. Because one stream sees every revision that touches the
 * store's keys, its position tells idle watchers how far they are current (progress notices), and a
 * thousand watchers cost etcd one watch.
 *
 * Invariant: the window holds every event with revision in (windowStart, position], in order.
 * A watch from inside the window is served from memory; one from before it reads history from its
 * own etcd watch until it reaches the window, then joins the shared stream (no gap, no duplicate:
 * it continues from the window strictly after the last revision it was given).
 */
export class WatchHub {
  private window: WindowEntry[] = [];
  private windowSize = 0;
  private windowStart: number;
  private position: number;
  private readonly live = new Set<Subscriber>();
  private readonly catchingUp = new Set<Subscriber>();
  private shared: EtcdWatch;

  constructor(private readonly options: WatchHubOptions) {
    this.windowStart = options.revision;
    this.position = options.revision;
    this.shared = this.openShared(options.revision + 1);
  }

  /** Watch `prefix` for events after `afterRevision`; `compactedRevision` is the known compaction point. */
  subscribe(prefix: string, afterRevision: number, compactedRevision: number): Subscription {
    if (afterRevision + 1 < compactedRevision) throw tooOld(prefix, afterRevision, compactedRevision);
    const subscriber: Subscriber = {
      prefix,
      afterRevision,
      delivered: afterRevision,
      queue: new WatcherQueue(this.options.watcherBufferEvents, prefix),
    };
    if (afterRevision >= this.windowStart) this.join(subscriber);
    else this.startCatchUp(subscriber);
    return {
      queue: subscriber.queue,
      progressRevision: () =>
        this.live.has(subscriber) ? Math.max(subscriber.delivered, this.position) : subscriber.delivered,
      close: () => {
        this.live.delete(subscriber);
        this.catchingUp.delete(subscriber);
        subscriber.catchUp?.close();
        subscriber.queue.end();
      },
    };
  }

  close(): void {
    this.shared.close();
    for (const subscriber of [...this.live, ...this.catchingUp]) {
      subscriber.catchUp?.close();
      subscriber.queue.end();
    }
    this.live.clear();
    this.catchingUp.clear();
  }

  private openShared(startRevision: number): EtcdWatch {
    const { client, keys } = this.options;
    return openEtcdWatch(client, keys.rangeOf(''), startRevision, {
      onEvents: (events) => this.receive(events),
      onProgress: (revision) => this.advance(revision),
      onCompacted: (compactRevision) => this.restartAfterCompaction(compactRevision),
    });
  }

  private receive(raw: IEvent[]): void {
    const events = toStoreEvents(this.options.keys, raw);
    const revision = events.at(-1)?.kv.modRevision ?? this.position;
    this.window.push({ revision, events });
    this.windowSize += events.length;
    while (this.windowSize > this.options.windowEvents && this.window.length > 1) {
      const dropped = this.window.shift();
      if (!dropped) break;
      this.windowSize -= dropped.events.length;
      this.windowStart = dropped.revision;
    }
    for (const subscriber of this.live) deliver(subscriber, events, revision, false);
    this.advance(revision);
  }

  private advance(revision: number): void {
    if (revision > this.position) this.position = revision;
    for (const subscriber of this.catchingUp) this.tryJoin(subscriber);
  }

  /** Serves the window after the subscriber's last revision, then live events. */
  private join(subscriber: Subscriber): void {
    for (const entry of this.window) {
      if (entry.revision > subscriber.delivered) deliver(subscriber, entry.events, entry.revision, true);
    }
    this.live.add(subscriber);
  }

  private startCatchUp(subscriber: Subscriber): void {
    this.catchingUp.add(subscriber);
    const { client, keys } = this.options;
    subscriber.catchUp = openEtcdWatch(client, keys.rangeOf(subscriber.prefix), subscriber.afterRevision + 1, {
      onEvents: (raw) => {
        if (!this.catchingUp.has(subscriber)) return;
        const events = toStoreEvents(keys, raw);
        deliver(subscriber, events, events.at(-1)?.kv.modRevision ?? subscriber.delivered, true);
        this.tryJoin(subscriber);
      },
      onProgress: (revision) => {
        if (!this.catchingUp.has(subscriber)) return;
        subscriber.delivered = Math.max(subscriber.delivered, revision);
        this.tryJoin(subscriber);
      },
      onCompacted: (compactRevision) => {
        this.options.onCompacted(compactRevision);
        this.catchingUp.delete(subscriber);
        subscriber.queue.fail(tooOld(subscriber.prefix, subscriber.afterRevision, compactRevision));
      },
    });
  }

  private tryJoin(subscriber: Subscriber): void {
    if (subscriber.delivered < this.windowStart || subscriber.delivered > this.position) return;
    subscriber.catchUp?.close();
    delete subscriber.catchUp;
    this.catchingUp.delete(subscriber);
    this.join(subscriber);
  }

  /**
   * The shared watch could not resume (etcd was unreachable while history was compacted past the
   * hub): the live watchers missed events and must re-list; the hub starts over at the compaction point.
   */
  private restartAfterCompaction(compactRevision: number): void {
    this.options.onCompacted(compactRevision);
    for (const subscriber of this.live) {
      subscriber.queue.fail(tooOld(subscriber.prefix, subscriber.delivered, compactRevision));
    }
    this.live.clear();
    this.window = [];
    this.windowSize = 0;
    this.windowStart = compactRevision - 1;
    this.position = compactRevision - 1;
    this.shared = this.openShared(compactRevision);
  }
}

function deliver(subscriber: Subscriber, events: StoreEvent[], revision: number, isReplay: boolean): void {
  const wanted = events.filter(
    (event) => event.kv.modRevision > subscriber.delivered && event.kv.key.startsWith(subscriber.prefix),
  );
  if (wanted.length > 0) subscriber.queue.push({ events: wanted, revision }, isReplay);
  if (revision > subscriber.delivered) subscriber.delivered = revision;
}

function tooOld(prefix: string, afterRevision: number, compactedRevision: number): StorageError {
  return new StorageError(
    'TooOld',
    prefix,
    `too old resource version: ${afterRevision} (${compactedRevision})`,
    undefined,
    compactedRevision,
  );
}
