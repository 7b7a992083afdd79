/**
 * An event recorder for components (scheduler, controllers, simulated kubelets), in the spirit of
 * client-go's: core/v1 Events (what `kubectl describe` and `kubectl events` read) named
 * `<object>.<hex nanoseconds>`, and repeats of the same event for the same object within 10 minutes folded
 * into one Event whose count and lastTimestamp grow (client-go's EventCorrelator does the same).
 * Recording never throws and never blocks the caller: events are best-effort, as in Kubernetes.
 */
import { events } from '../client/resources.ts';
import type { KubeClient } from '../client/types.ts';
import type { KubeObject } from '../types/meta.ts';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecorder {
  event(
    object: Readonly<KubeObject>,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    fieldPath?: string,
  ): void;
  /** Resolves when every recorded event has been written (tests and shutdown). */
  flush(): Promise<void>;
}

interface Folded {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  lastSeen: number;
}

const foldWindowMs = 10 * 60_000;
const maxRemembered = 4096;

export function createEventRecorder(
  client: KubeClient,
  source: EventSource,
  clock: () => number = Date.now,
): EventRecorder {
  const api = client.resource(events);
  const folded = new Map<string, Folded>();
  const pending = new Set<Promise<void>>();

  function track(p: Promise<void>): void {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  return {
    event(object, type, reason, message, fieldPath) {
      const meta = object.metadata;
      const namespace = meta.namespace || 'default';
      const now = clock();
      const timestamp = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const key = [meta.uid, type, reason, message, fieldPath ?? ''].join('\u0000');
      const previous = folded.get(key);
      if (previous && now - previous.lastSeen < foldWindowMs) {
        previous.count++;
        previous.lastSeen = now;
        const body = { count: previous.count, lastTimestamp: timestamp };
        track(
          api
            .patch(previous.name, previous.namespace, 'merge', body)
            .then(() => undefined)
            .catch(() => undefined),
        );
        return;
      }
      const name = `${meta.name}.${(BigInt(now) * 1_000_000n + BigInt(folded.size % 1_000_000)).toString(16)}`;
      if (folded.size >= maxRemembered) folded.delete(folded.keys().next().value as string);
      folded.set(key, { name, namespace, count: 1, firstTimestamp: timestamp, lastSeen: now });
      const involvedObject: Record<string, unknown> = {
        kind: object.kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: object.apiVersion,
        resourceVersion: meta.resourceVersion,
      };
      if (fieldPath) involvedObject.fieldPath = fieldPath;
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason,
        message,
        source: source.host ? { component: source.component, host: source.host } : { component: source.component },
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      };
      track(
        api
          .create(event)
          .then(() => undefined)
          .catch(() => undefined),
      );
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
