/**
 * Container logs kept in memory: per container the current instance and the previous one (what
 * `kubectl logs --previous` reads), each bounded in bytes by dropping the oldest lines, as the
 * kubelet's log rotation does.
 */

export interface LogLine {
  /** ms since epoch */
  time: number;
  text: string;
}

export interface ContainerLog {
  lines: LogLine[];
  bytes: number;
  isEnded: boolean;
  /** Called after each append and at the end; followers re-read. */
  listeners: Set<() => void>;
}

export interface LogStore {
  append(podUID: string, container: string, time: number, text: string): void;
  /** A new instance of the container starts: the current log becomes the previous one. */
  restart(podUID: string, container: string): void;
  /** The current instance exited: followers finish. */
  end(podUID: string, container: string): void;
  read(podUID: string, container: string, previous?: boolean): ContainerLog | undefined;
  /** The current instance's log, made empty if nothing was written yet (for followers). */
  current(podUID: string, container: string): ContainerLog;
  removePod(podUID: string): void;
}

/** 1 MiB per container instance; 5,000 nodes × 10 busy pods stay bounded by what they print. */
export const defaultMaxBytes = 1 << 20;

const newLog = (): ContainerLog => ({ lines: [], bytes: 0, isEnded: false, listeners: new Set() });

export function createLogStore(maxBytes = defaultMaxBytes): LogStore {
  const pods = new Map<string, Map<string, { current: ContainerLog; previous?: ContainerLog }>>();
  const entry = (podUID: string, container: string) => {
    let containers = pods.get(podUID);
    if (!containers) {
      containers = new Map();
      pods.set(podUID, containers);
    }
    let logs = containers.get(container);
    if (!logs) {
      logs = { current: newLog() };
      containers.set(container, logs);
    }
    return logs;
  };
  const notify = (log: ContainerLog) => {
    for (const listener of [...log.listeners]) listener();
  };
  return {
    append(podUID, container, time, text) {
      const log = entry(podUID, container).current;
      log.lines.push({ time, text });
      log.bytes += text.length + 1;
      while (log.bytes > maxBytes && log.lines.length > 1) log.bytes -= (log.lines.shift()?.text.length ?? 0) + 1;
      notify(log);
    },
    restart(podUID, container) {
      const logs = entry(podUID, container);
      if (logs.current.lines.length > 0 || logs.current.isEnded) {
        logs.current.isEnded = true;
        notify(logs.current);
        logs.previous = logs.current;
        logs.current = newLog();
      }
    },
    end(podUID, container) {
      const log = entry(podUID, container).current;
      log.isEnded = true;
      notify(log);
    },
    read(podUID, container, previous) {
      const logs = pods.get(podUID)?.get(container);
      return previous ? logs?.previous : logs?.current;
    },
    current: (podUID, container) => entry(podUID, container).current,
    removePod(podUID) {
      for (const logs of pods.get(podUID)?.values() ?? []) {
        logs.current.isEnded = true;
        notify(logs.current);
      }
      pods.delete(podUID);
    },
  };
}
