/**
 * The pods/log interface the API's handler calls: `getLogs` answers with a byte stream in the format
 * of `GET /api/v1/namespaces/{ns}/pods/{name}/log` (text lines, RFC 3339 nanosecond timestamps with
 * `timestamps=true`) or throws the StatusError a real cluster sends.
 */
import type { ContainerLog, LogLine } from './log-store.ts';

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  previous?: boolean;
  limitBytes?: number;
  /** Ends a follow stream early (the client went away). */
  signal?: AbortSignal;
}

export interface PodLogs {
  /** `container` may be omitted for a single-container pod. Throws StatusError (400/404). */
  getLogs(
    namespace: string,
    pod: string,
    container: string | undefined,
    options?: LogOptions,
  ): Promise<ReadableStream<Uint8Array>>;
  /** Whether the pod's node runs here; the API server asks other nodes' kubelets over HTTPS. */
  servesNode?(nodeName: string): boolean;
  /** A shell attached with stdin (`kubectl run -it`) exited: its container ends with that code, as it would. */
  endAttachedShell?(namespace: string, pod: string, container: string, exitCode: number): void;
}

/** `2026-11-22T21:55:10.123000000Z`: the kubelet's RFC3339Nano log timestamp. */
export function nanoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function selectLines(log: ContainerLog, options: LogOptions, now: number): LogLine[] {
  let lines = log.lines;
  const since = options.sinceTime
    ? Date.parse(options.sinceTime)
    : options.sinceSeconds !== undefined
      ? now - options.sinceSeconds * 1000
      : undefined;
  if (since !== undefined) lines = lines.filter((l) => l.time >= since);
  if (options.tailLines !== undefined) lines = options.tailLines <= 0 ? [] : lines.slice(-options.tailLines);
  return lines;
}

/** A stream over `log`; with `follow` it stays open until the container ends or `signal` aborts. */
export function openLogStream(log: ContainerLog, options: LogOptions, now: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const format = (l: LogLine) => `${options.timestamps ? `${nanoTimestamp(l.time)} ` : ''}${l.text}\n`;
  let remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let isClosed = false;
      const close = () => {
        if (isClosed) return;
        isClosed = true;
        cleanup();
        controller.close();
      };
      const write = (lines: readonly LogLine[]) => {
        for (const line of lines) {
          if (remaining <= 0) return close();
          let bytes = encoder.encode(format(line));
          if (bytes.length > remaining) bytes = bytes.slice(0, remaining);
          remaining -= bytes.length;
          controller.enqueue(bytes);
        }
      };
      const initial = selectLines(log, options, now);
      write(initial);
      // Followers resume after the last line they saw, found by identity since old lines may be dropped.
      let lastLine = log.lines.at(-1);
      if (!options.follow || log.isEnded || isClosed) return close();
      const onChange = () => {
        if (isClosed) return;
        const fresh = log.lines.slice((lastLine ? log.lines.lastIndexOf(lastLine) : -1) + 1);
        lastLine = log.lines.at(-1);
        write(fresh);
        if (log.isEnded) close();
      };
      const onAbort = () => close();
      log.listeners.add(onChange);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      cleanup = () => {
        log.listeners.delete(onChange);
        options.signal?.removeEventListener('abort', onAbort);
      };
    },
    cancel() {
      cleanup();
    },
  });
}
