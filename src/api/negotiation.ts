/**
 * Accept header → the response format. JSON is always fine when the client lists it (or a wildcard);
 * protobuf is skipped (clients that ask for it also list JSON and decode by Content-Type); Tables are
 * served for get/list/watch when asked as `application/json;as=Table;v=v1|v1beta1;g=meta.k8s.io`.
 */
import { notAcceptable } from '../status.ts';

export type ResponseFormat = { type: 'json' } | { type: 'yaml' } | { type: 'table'; version: 'v1' | 'v1beta1' };

export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

/** Accept header → media ranges in preference order (q descending, then as written); q=0 dropped. */
export function parseAccept(header: string | null | undefined): MediaRange[] {
  if (!header) return [];
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [rawType, ...rawParams] = part.split(';');
    const type = (rawType ?? '').trim().toLowerCase();
    if (!type) continue;
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      params[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    delete params.q;
    if (!(q > 0)) continue;
    ranges.push({ type, params, q });
  }
  // Array.prototype.sort is stable, so equal q keeps the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}

const acceptedText = 'only the following media types are accepted: application/json, application/yaml';

/**
 * The format for a resource response. `allowTable` for get/list/watch; `allowYaml` is false for watch
 * streams (YAML has no streaming framing).
 */
export function negotiateFormat(
  header: string | null | undefined,
  o: { allowTable: boolean; allowYaml: boolean },
): ResponseFormat {
  const ranges = parseAccept(header);
  if (ranges.length === 0) return { type: 'json' };
  for (const range of ranges) {
    const format = formatOf(range, o);
    if (format) return format;
  }
  throw notAcceptable(acceptedText);
}

function formatOf(range: MediaRange, o: { allowTable: boolean; allowYaml: boolean }): ResponseFormat | undefined {
  const as = range.params.as;
  switch (range.type) {
    case 'application/json':
      if (as === undefined) return { type: 'json' };
      if (as === 'Table' && o.allowTable && range.params.g === 'meta.k8s.io') {
        const v = range.params.v;
        if (v === 'v1' || v === 'v1beta1') return { type: 'table', version: v };
      }
      return undefined;
    case 'application/yaml':
      return as === undefined && o.allowYaml ? { type: 'yaml' } : undefined;
    case '*/*':
    case 'application/*':
      return { type: 'json' };
    default:
      return undefined;
  }
}
