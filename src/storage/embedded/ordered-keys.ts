/**
 * The keys of the in-memory index in ascending order, for prefix ranges with `after` and `limit`.
 *
 * A sorted array, kept sorted lazily: new keys go into a small sorted side list and removals only mark
 * the array stale. A range read merges first only when a pending key falls inside its prefix (one
 * O(n + k) pass); otherwise it scans the array and skips removed keys. So a create of one kind does not
 * make the next list of another kind (admission lists ResourceQuotas on every namespaced create) pay for
 * merging the whole index.
 *
 * Order is by UTF-16 code unit (JavaScript `<`); for the ASCII keys Kubernetes uses this is byte order.
 */
export class OrderedKeys {
  private sorted: string[] = [];
  private added: string[] = [];
  private hasRemovals = false;

  /** @param isMember whether a key still belongs (the owning map decides; removals are lazy). */
  constructor(private readonly isMember: (key: string) => boolean) {}

  /** Call when a key becomes a member. Adding a key that is still in the array is harmless. */
  add(key: string): void {
    // Sorted so that a range read finds out with one binary search whether it must merge first: testing
    // every pending key cost ~45 µs per read with 1,000 pending, paid by every admission list on a create.
    const added = this.added;
    const at = lowerBound(added, key);
    if (at === added.length) added.push(key);
    else added.splice(at, 0, key);
    // Without merges the side list would grow with every create (and pin deleted keys' strings), and each
    // range read scans it; merging every 1024 adds bounds both at O(n / 1024) amortised work per add.
    if (this.added.length > 1024) this.settle();
  }

  /** Call after a key stopped being a member. */
  noteRemoval(): void {
    this.hasRemovals = true;
  }

  /** Member keys starting with `prefix` and greater than `after` (when given), ascending. */
  *range(prefix: string, after?: string): Generator<string> {
    // Only pending keys inside the range need merging first; removals are skipped as the scan meets them.
    if ((this.added[lowerBound(this.added, prefix)] ?? '').startsWith(prefix)) this.settle();
    const sorted = this.sorted;
    let index = after !== undefined && after >= prefix ? upperBound(sorted, after) : lowerBound(sorted, prefix);
    for (; index < sorted.length; index++) {
      const key = sorted[index] as string;
      if (!key.startsWith(prefix)) return;
      if (this.hasRemovals && !this.isMember(key)) continue;
      yield key;
    }
  }

  get size(): number {
    this.settle();
    return this.sorted.length;
  }

  private settle(): void {
    if (this.added.length === 0 && !this.hasRemovals) return;
    const fresh = this.added.filter(this.isMember);
    const kept = this.hasRemovals ? this.sorted.filter(this.isMember) : this.sorted;
    this.sorted = mergeUnique(kept, fresh);
    this.added = [];
    this.hasRemovals = false;
  }
}

/**
 * Merges the few sorted `fresh` keys into the many sorted `kept` ones, dropping duplicates. Each fresh key
 * finds its place by galloping from the previous one, and the keys of `kept` in between are copied without
 * comparing them: keys share long prefixes (/registry/<group>/<resource>/...), so a comparison costs far
 * more than a copy, and a linear merge would compare every kept key on every merge.
 */
function mergeUnique(kept: string[], fresh: string[]): string[] {
  if (fresh.length === 0) return kept;
  const out: string[] = new Array(kept.length + fresh.length);
  let n = 0;
  let i = 0;
  for (const key of fresh) {
    const at = gallop(kept, key, i);
    for (; i < at; i++) out[n++] = kept[i] as string;
    if (kept[i] === key) out[n++] = kept[i++] as string;
    else if (n === 0 || out[n - 1] !== key) out[n++] = key;
  }
  for (; i < kept.length; i++) out[n++] = kept[i] as string;
  out.length = n;
  return out;
}

/** First index >= `from` whose key is >= `key`: doubling steps from `from`, then a binary search. */
function gallop(sorted: string[], key: string, from: number): number {
  let step = 1;
  while (from + step <= sorted.length && (sorted[from + step - 1] as string) < key) step *= 2;
  let low = from + (step >> 1);
  let high = Math.min(from + step - 1, sorted.length);
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose key is >= `key`. */
function lowerBound(sorted: string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose key is > `key`. */
function upperBound(sorted: string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) <= key) low = mid + 1;
    else high = mid;
  }
  return low;
}
