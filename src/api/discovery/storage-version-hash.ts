import { createHash } from 'node:crypto';

/**
 * apiserver's storageVersionHash: the first 8 bytes of sha256("<group>/<version>/<kind>") in base64.
 * Opaque to clients; it only has to be stable for the same storage version.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}
