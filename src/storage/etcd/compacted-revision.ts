/**
 * Finds etcd's compaction point: the smallest revision that can still be read. etcd reports it only
 * in watch cancellations; a read at a compacted revision just says "compacted". Reads at a revision
 * are monotonic in it (compacted below the point, readable from it on), so a binary search over
 * `[lowest, current]` needs about log2(current - lowest) cheap count-only reads.
 *
 * `lowest` is a revision known not to be above the point (our last compaction, or 1).
 */
export async function findCompactedRevision(
  isReadable: (revision: number) => Promise<boolean>,
  lowest: number,
  current: number,
): Promise<number> {
  let low = Math.max(1, lowest);
  if (await isReadable(low)) return low;
  // Invariant: `low` is compacted, `high` is readable (the current revision always is).
  let high = Math.max(low + 1, current);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await isReadable(middle)) high = middle;
    else low = middle;
  }
  return high;
}
