/**
 * Throughput for the schemas bench: operations per second of wall time, and per second of this
 * process's CPU time, which stays meaningful when other work shares the machine's cores.
 */
export interface Rate {
  /** Operations per wall-clock second. */
  wall: number;
  /** Operations per CPU second (user + system) of this process. */
  cpu: number;
}

/** Runs `fn` in batches until `ms` of wall time have passed. */
export function measureRate(fn: () => void, ms: number, batch = 500): Rate {
  let operations = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) fn();
    operations += batch;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { wall: (operations * 1000) / elapsed, cpu: (operations * 1000) / Math.max(cpuMs, 1e-3) };
}
