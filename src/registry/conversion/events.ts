/**
 * events.k8s.io/v1 Event ↔ core/v1 Event (the storage version). Same data, other names, as
 * pkg/apis/events/v1 conversion maps them: regarding ↔ involvedObject, note ↔ message,
 * reportingController ↔ reportingComponent, deprecatedSource ↔ source, deprecatedCount ↔ count,
 * deprecatedFirstTimestamp/LastTimestamp ↔ firstTimestamp/lastTimestamp.
 */
import type { KubeObject } from '../../types/meta.ts';

/** [events.k8s.io/v1 field, core/v1 field] */
const renames: readonly (readonly [string, string])[] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedCount', 'count'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
];

function rename(object: KubeObject, pairs: readonly (readonly [string, string])[], kindVersion: string): KubeObject {
  const out: KubeObject = { ...object, apiVersion: kindVersion, kind: 'Event' };
  for (const [from, to] of pairs) {
    delete out[from];
    if (object[from] !== undefined) out[to] = object[from];
  }
  return out;
}

export function eventToCore(object: KubeObject): KubeObject {
  return rename(object, renames, 'v1');
}

export function eventFromCore(object: KubeObject): KubeObject {
  return rename(
    object,
    renames.map(([a, b]) => [b, a] as const),
    'events.k8s.io/v1',
  );
}
