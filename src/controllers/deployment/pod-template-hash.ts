/**
 * The pod-template-hash label: names a Deployment's ReplicaSet for one pod template and keeps the
 * ReplicaSets' selectors apart. Kubernetes hashes a dump of the Go struct with FNV-32a; we hash a
 * canonical JSON form (sorted keys; null, empty lists and empty maps left out, as Go's semantic
 * equality treats them) with FNV-32a, then append the collision count — so equal templates always give
 * equal hashes, and a collision is resolved the same way (bump status.collisionCount, hash again).
 */
import type { PodTemplateSpec } from '../pod-control/types.ts';

export const podTemplateHashLabel = 'pod-template-hash';

/** JSON with sorted keys and without empty values; stable for semantically equal objects. */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? '';
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(normalize) : undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

function fnv32a(bytes: Uint8Array, hash = fnvOffset): number {
  let h = hash;
  for (const b of bytes) h = Math.imul(h ^ b, fnvPrime) >>> 0;
  return h;
}

/** apimachinery rand.SafeEncodeString: no vowels (no words) and no look-alike 0/1/3. */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

export function computeHash(template: Readonly<PodTemplateSpec>, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJSON(template)));
  if (collisionCount !== undefined) {
    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(count, h);
  }
  return [...String(h)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

function withoutHash(template: Readonly<PodTemplateSpec> | undefined): unknown {
  const labels = { ...template?.metadata?.labels };
  delete labels[podTemplateHashLabel];
  return { ...template, metadata: { ...template?.metadata, labels } };
}

/** Templates equal apart from the pod-template-hash label (deploymentutil.EqualIgnoreHash). */
export function equalIgnoreHash(a: Readonly<PodTemplateSpec> | undefined, b: Readonly<PodTemplateSpec> | undefined) {
  return canonicalJSON(withoutHash(a)) === canonicalJSON(withoutHash(b));
}
