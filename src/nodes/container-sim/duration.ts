/**
 * Go-style durations as users write them in `sim.wharf.dev/duration` (`5s`, `1m30s`, `250ms`,
 * `2h`), plus a bare number meaning seconds, as `sleep` takes it. Returns milliseconds, or
 * undefined for text that is not a duration.
 */
const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (unitMs[p[2] ?? ''] ?? 0), 0));
}
