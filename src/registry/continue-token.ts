/**
 * Continue tokens: opaque to clients, base64 of the list revision and the last key returned, so the
 * next page reads at the same revision from just after that key (apiserver storage.EncodeContinue).
 * A revision of 0 means "at the latest revision" (the fresh token handed out with a 410).
 * `remaining` rides along so only the first page of a paginated list counts the rest of the range: every
 * page reads at the same revision, so the next page's count is this one minus the page's length.
 */
import { badRequest } from '../status.ts';

export interface ContinuePosition {
  revision: number;
  /** The last key of the previous page; the next page starts after it. */
  after: string;
  /** Items after `after` at `revision`, when the page that issued the token knew it. */
  remaining?: number;
}

export function encodeContinue(position: ContinuePosition): string {
  const token: Record<string, unknown> = { v: 'meta.k8s.io/v1', rv: position.revision, start: position.after };
  if (position.remaining !== undefined) token.rem = position.remaining;
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(token: string): ContinuePosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
      rem?: unknown;
    };
    if (
      parsed.v === 'meta.k8s.io/v1' &&
      typeof parsed.rv === 'number' &&
      typeof parsed.start === 'string' &&
      parsed.start.startsWith('/registry/')
    ) {
      const position: ContinuePosition = { revision: parsed.rv, after: parsed.start };
      if (typeof parsed.rem === 'number' && Number.isInteger(parsed.rem) && parsed.rem >= 0)
        position.remaining = parsed.rem;
      return position;
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
