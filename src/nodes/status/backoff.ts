/**
 * The kubelet's CrashLoopBackOff delays (kuberuntime backOff: 10 s initial, doubling, 5 min cap).
 * The first restart after a crash is immediate; each crash after that waits the next delay, so a
 * container that keeps failing restarts after 0 s, 10 s, 20 s, 40 s, … 300 s, 300 s.
 * A container that ran for 10 minutes (twice the cap) without crashing starts over from level 0.
 */
export const initialBackoffMs = 10_000;
export const maxBackoffMs = 300_000;
export const backoffResetMs = 2 * maxBackoffMs;

/** Delay before restarting after a crash, when `level` crashes have already been backed off. */
export function restartDelayMs(level: number): number {
  if (level <= 0) return 0;
  return Math.min(initialBackoffMs * 2 ** (level - 1), maxBackoffMs);
}

/** The backoff level after a crash of a container that ran `ranMs` before it. */
export function nextBackoffLevel(level: number, ranMs: number): number {
  return ranMs >= backoffResetMs ? 1 : level + 1;
}

/** `5m0s`, `40s`: Go's Duration.String for whole seconds, as the waiting message prints it. */
export function formatGoDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds % 60}s`;
}
