/**
 * status.completedIndexes as the API writes it: sorted indexes, each run of consecutive indexes
 * folded into `first-last`, e.g. [0,1,2,5,7,8] → "0-2,5,7-8".
 */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Parses "0-2,5" back; indexes at or past `completions` are dropped, as the controller ignores them. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    if (!Number.isInteger(from) || !Number.isInteger(to)) continue;
    for (let i = from; i <= (to as number) && i < completions; i++) out.add(i);
  }
  return out;
}
