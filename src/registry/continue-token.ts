/**
 * Continue tokens: opaque to clients, base64 of the list revision and the last key returned, so the
 * next page reads at the same revision from just after that key (apiserver storage.EncodeContinue).
 * A revision of 0 means "at the latest revision" (the fresh token handed out with a 410).
 */
import { badRequest } from '../status.ts';

export interface ContinuePosition {
  revision: number;
  /** The last key of the previous page; the next page starts after it. */
  after: string;
}

export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: position.revision, start: position.after })).toString(
    'base64url',
  );
}

export function decodeContinue(token: string): ContinuePosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (
      parsed.v === 'meta.k8s.io/v1' &&
      typeof parsed.rv === 'number' &&
      typeof parsed.start === 'string' &&
      parsed.start.startsWith('/registry/')
    ) {
      return { revision: parsed.rv, after: parsed.start };
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
