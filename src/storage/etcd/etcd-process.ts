/**
 * Real etcd processes on loopback, for tests and benchmarks (never a mock: DESIGN.md, Storage).
 *
 * Uses the `etcd` binary from the Debian package etcd-server (3.4), which `npm test`'s pretest step
 * installs. No vitest dependency: bench/storage.bench.ts uses this too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from './free-port.ts';

export interface EtcdServer {
  /** Client URLs, e.g. `['http://127.0.0.1:40123']`. */
  endpoints: string[];
  /** SIGTERM (then SIGKILL after a grace period), wait for exit, remove the temp data dir. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; the data dir is left for a restart (or removed at exit). */
  kill(): void;
}

export interface EtcdClusterMember {
  name: string;
  endpoint: string;
  /** Stops this member only, keeping its data dir, so `start()` brings it back with its state. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; waits until the process is gone. `start()` brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export interface EtcdCluster {
  endpoints: string[];
  members: EtcdClusterMember[];
  stop(): Promise<void>;
}

interface MemberSpec {
  name: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
  /** Ours to delete (not a dir the caller passed in). */
  isTempDir: boolean;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited: () => boolean;
  /** The last lines etcd printed, for a useful error when it does not come up. */
  output: string[];
}

const startTimeoutMs = 30_000;
const stopGraceMs = 5_000;
const outputLines = 12;

/** Starts one etcd member on free loopback ports with its own temp data dir (or `dataDir`). */
export async function startEtcd(options: { dataDir?: string } = {}): Promise<EtcdServer> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wharf-etcd-'));
  const forgetDir = ownsDir ? removeAtExit(dataDir) : () => {};
  for (let attempt = 1; ; attempt++) {
    const [clientPort = 0, peerPort = 0] = await freePorts(2);
    const spec: MemberSpec = { name: 'default', clientPort, peerPort, dataDir, isTempDir: ownsDir };
    const running = spawnMember(spec, `${spec.name}=${peerUrl(spec)}`, `wharf-${peerPort}`);
    try {
      await waitHealthy(clientUrl(spec), running);
    } catch (err) {
      await stopProcess(running);
      // A port chosen by freePorts can be taken before etcd binds it; that is worth another try.
      if (attempt < 3 && running.output.some((line) => line.includes('address already in use'))) continue;
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
      forgetDir();
      throw err;
    }
    return {
      endpoints: [clientUrl(spec)],
      async stop() {
        await stopProcess(running);
        if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
        forgetDir();
      },
      kill() {
        running.child.kill('SIGKILL');
      },
    };
  }
}

/** Starts `size` members on loopback that form one raft cluster (static bootstrap). */
export async function startEtcdCluster(size: number): Promise<EtcdCluster> {
  const baseDir = mkdtempSync(join(tmpdir(), 'wharf-etcd-cluster-'));
  const forgetDir = removeAtExit(baseDir);
  const ports = await freePorts(size * 2);
  const specs: MemberSpec[] = Array.from({ length: size }, (_, i) => ({
    name: `member-${i}`,
    clientPort: ports[2 * i] ?? 0,
    peerPort: ports[2 * i + 1] ?? 0,
    dataDir: join(baseDir, `member-${i}`),
    isTempDir: true,
  }));
  const initialCluster = specs.map((s) => `${s.name}=${peerUrl(s)}`).join(',');
  // The same token on every member: etcd derives the cluster ID from it and the member list.
  const clusterToken = `wharf-${ports[0]}`;
  const running = new Map<string, Running>();
  const startMember = async (spec: MemberSpec): Promise<void> => {
    const current = running.get(spec.name);
    if (current && !current.hasExited()) return;
    const member = spawnMember(spec, initialCluster, clusterToken);
    running.set(spec.name, member);
    await waitHealthy(clientUrl(spec), member);
  };
  const stopMember = async (spec: MemberSpec, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const member = running.get(spec.name);
    if (member) await stopProcess(member, signal);
  };
  const stopAll = async (): Promise<void> => {
    // The data goes away with the cluster, so a graceful stop buys nothing; and members stopping
    // together lose quorum and would each wait out their leader-transfer timeout.
    await Promise.all(specs.map((spec) => stopMember(spec, 'SIGKILL')));
    rmSync(baseDir, { recursive: true, force: true });
    forgetDir();
  };
  try {
    // All members must run at once: each waits for a quorum before it reports healthy.
    await Promise.all(specs.map(startMember));
  } catch (err) {
    await stopAll();
    throw err;
  }
  return {
    endpoints: specs.map(clientUrl),
    members: specs.map((spec) => ({
      name: spec.name,
      endpoint: clientUrl(spec),
      stop: () => stopMember(spec, 'SIGTERM'),
      kill: () => stopMember(spec, 'SIGKILL'),
      start: () => startMember(spec),
    })),
    stop: stopAll,
  };
}

const clientUrl = (s: MemberSpec): string => `http://127.0.0.1:${s.clientPort}`;
const peerUrl = (s: MemberSpec): string => `http://127.0.0.1:${s.peerPort}`;

function spawnMember(spec: MemberSpec, initialCluster: string, clusterToken: string): Running {
  const args = [
    `--name=${spec.name}`,
    `--data-dir=${spec.dataDir}`,
    `--listen-client-urls=${clientUrl(spec)}`,
    `--advertise-client-urls=${clientUrl(spec)}`,
    `--listen-peer-urls=${peerUrl(spec)}`,
    `--initial-advertise-peer-urls=${peerUrl(spec)}`,
    `--initial-cluster=${initialCluster}`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=${clusterToken}`,
    '--logger=zap',
    '--log-level=warn',
  ];
  const child = spawn('etcd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const remember = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > outputLines) output.splice(0, output.length - outputLines);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  let hasExited = false;
  const forget = killAtExit(child, spec.isTempDir ? spec.dataDir : undefined);
  const exited = new Promise<void>((resolve) => {
    const done = (): void => {
      hasExited = true;
      forget();
      resolve();
    };
    child.once('exit', done);
    child.once('error', (err) => {
      output.push(String(err));
      done();
    });
  });
  return { child, exited, hasExited: () => hasExited, output };
}

async function waitHealthy(endpoint: string, running: Running): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (running.hasExited()) {
      throw new Error(`etcd at ${endpoint} exited during start:\n${running.output.join('\n')}`);
    }
    try {
      const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(2_000) });
      const body = (await response.json()) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // Not listening yet, or no leader yet: keep polling.
    }
    await sleep(50);
  }
  throw new Error(`etcd at ${endpoint} was not healthy within ${startTimeoutMs} ms:\n${running.output.join('\n')}`);
}

async function stopProcess(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (running.hasExited()) return;
  running.child.kill(signal);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), stopGraceMs);
  await running.exited;
  clearTimeout(timer);
}

// Whatever ends this process must not leave etcd running or its temp dirs behind: the machine is
// shared. A normal exit runs the hook below; for a crash or SIGKILL of this process, each etcd has a
// watchdog shell whose stdin is a pipe from us: when we die the pipe closes, `read` returns and the
// watchdog kills etcd and removes its temp data dir.
const childrenAtExit = new Set<ChildProcess>();
const dirsAtExit = new Set<string>();
let isExitHookInstalled = false;

function installExitHook(): void {
  if (isExitHookInstalled) return;
  isExitHookInstalled = true;
  process.once('exit', () => {
    for (const child of childrenAtExit) child.kill('SIGKILL');
    for (const dir of dirsAtExit) rmSync(dir, { recursive: true, force: true });
  });
}

function killAtExit(child: ChildProcess, tempDir: string | undefined): () => void {
  installExitHook();
  childrenAtExit.add(child);
  const script = 'read -r _; kill -9 "$0" 2>/dev/null; if [ -n "$1" ]; then sleep 0.2; rm -rf "$1"; fi';
  const watchdog = child.pid
    ? spawn('sh', ['-c', script, String(child.pid), tempDir ?? ''], {
        stdio: ['pipe', 'ignore', 'ignore'],
      })
    : undefined;
  watchdog?.unref();
  if (watchdog?.stdin instanceof Socket) watchdog.stdin.unref();
  return () => {
    childrenAtExit.delete(child);
    watchdog?.kill('SIGKILL');
  };
}

function removeAtExit(dir: string): () => void {
  installExitHook();
  dirsAtExit.add(dir);
  return () => dirsAtExit.delete(dir);
}
