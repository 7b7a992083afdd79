/**
 * Runs a real kubectl (or helm) against a kubeconfig. Each test file gets its own --cache-dir per
 * kubectl version, because kubectl caches discovery on disk for hours and a stale cache would hide
 * what the server now serves.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { helmPath, type KubectlVersion, kubectlPath } from './tools.ts';

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code (null when killed by the timeout). */
  code: number | null;
}

export interface KubectlOptions {
  kubeconfig: string;
  /** Written to stdin (for `-f -`). */
  input?: string;
  timeoutMs?: number;
}

const cacheDirs = new Map<string, string>();
// Registered on the importing test file (vitest workers are terminated, so 'exit' never fires there).
afterAll(() => {
  for (const dir of cacheDirs.values()) rmSync(dir, { recursive: true, force: true });
  cacheDirs.clear();
});

function cacheDir(version: string): string {
  let dir = cacheDirs.get(version);
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), `wharf-kubectl-${version}-`));
    cacheDirs.set(version, dir);
  }
  return dir;
}

export function run(
  binary: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      binary,
      [...args],
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** `kubectl <args>` with the given minor version; rejects with a clear message if it is not installed. */
export function kubectl(version: KubectlVersion, args: readonly string[], options: KubectlOptions): Promise<RunResult> {
  const binary = kubectlPath(version);
  return run(binary, ['--kubeconfig', options.kubeconfig, '--cache-dir', cacheDir(version), ...args], {
    env: { ...process.env, KUBECONFIG: options.kubeconfig, HOME: cacheDir(version) },
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** `helm <args>` (helm 4) with its caches and config in a per-file directory. */
export function helm(args: readonly string[], options: KubectlOptions): Promise<RunResult> {
  const home = cacheDir('helm');
  return run(helmPath(), ['--kubeconfig', options.kubeconfig, ...args], {
    env: {
      ...process.env,
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    },
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

export interface KubectlStream {
  /** Resolves with all output so far once it matches; rejects when the process ends first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

/** A long-running kubectl (get -w, logs -f) whose output is watched as it arrives. */
export function kubectlStream(
  version: KubectlVersion,
  args: readonly string[],
  options: KubectlOptions,
): KubectlStream {
  const child = spawn(
    kubectlPath(version),
    ['--kubeconfig', options.kubeconfig, '--cache-dir', cacheDir(version), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: cacheDir(version) },
    },
  );
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => output,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        const check = () => {
          if (pattern.test(output)) done(() => resolve(output));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} in kubectl ${args.join(' ')} output:\n${output}`))),
          timeoutMs,
        );
        listeners.add(check);
        exited.then(() => {
          if (listeners.has(check)) done(() => reject(new Error(`kubectl ${args.join(' ')} exited:\n${output}`)));
        });
        check();
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
