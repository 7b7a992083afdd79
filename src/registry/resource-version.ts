/** resourceVersion query parameters: parsing, and "not older than N" when N is still in the future. */
import { badRequest, resourceVersionTooLarge } from '../status.ts';
import type { RegistryState } from './registry-state.ts';

/** The revision a resourceVersion string names; undefined for '' / unset / '0' (meaning: any, or latest). */
export function parseResourceVersion(resourceVersion: string | undefined): number | undefined {
  if (resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0') return undefined;
  if (!/^\d+$/.test(resourceVersion)) throw badRequest(`invalid resource version: ${JSON.stringify(resourceVersion)}`);
  return Number(resourceVersion);
}

/**
 * For "not older than N": wait a little while N is in the future (a write acknowledged by another API
 * server may not have reached us yet), then 504 with cause ResourceVersionTooLarge, as the watch cache
 * does after its 3 s wait. Returns the current revision.
 */
export async function waitForRevision(state: RegistryState, resourceVersion: string | undefined): Promise<number> {
  const wanted = parseResourceVersion(resourceVersion);
  let current = await state.store.currentRevision();
  if (wanted === undefined || wanted <= current) return current;
  const deadline = Date.now() + state.futureRevisionWaitMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    current = await state.store.currentRevision();
    if (wanted <= current) return current;
  }
  throw resourceVersionTooLarge(wanted, current);
}
