/**
 * Starts the built CLI (`node dist/wharf.mjs up`) as a child process on a free port and a temporary
 * data dir, the way a user runs it. `npm test` builds dist first (pretest); when dist is missing, for
 * a direct `vitest run`, it is built here.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot } from './tools.ts';

export interface WharfOptions {
  /** Reuse a data dir (restart tests); default: a fresh temporary one, removed by `stop`. */
  dataDir?: string;
  /** Default 0: wharf picks a free port and the helper reads it from the ready line. */
  port?: number;
  nodes?: number;
  extraArgs?: readonly string[];
  timeoutMs?: number;
}

export interface Wharf {
  kubeconfig: string;
  port: number;
  url: string;
  dataDir: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, wait for exit; resolves with the exit code. Removes the data dir unless it was given. */
  stop(): Promise<number | null>;
}

const entry = join(repoRoot, 'dist', 'wharf.mjs');
const running = new Set<ChildProcess>();
// A safety net for a test that failed before stop(): vitest terminates its workers, so a handler
// on the worker's 'exit' would never run and the server would outlive the test run.
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

function ensureBuilt(): void {
  if (!existsSync(entry)) execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot });
}

export async function startWharf(options: WharfOptions = {}): Promise<Wharf> {
  ensureBuilt();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wharf-e2e-'));
  const kubeconfig = join(dataDir, 'kc');
  const child = spawn(
    process.execPath,
    [
      entry,
      'up',
      '--port',
      String(options.port ?? 0),
      '--data-dir',
      dataDir,
      '--kubeconfig',
      kubeconfig,
      '--nodes',
      String(options.nodes ?? 3),
      ...(options.extraArgs ?? []),
    ],
    { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wharf did not become ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const check = () => {
      // The ready block ends with the Ctrl-C hint; wait for all of it, it may arrive in pieces.
      const match = /wharf is ready at (\S+)[\s\S]*Press Ctrl-C to stop/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`wharf exited with code ${code} before it was ready:\n${output}`));
    });
  });

  return {
    kubeconfig,
    url,
    port: Number(new URL(url).port),
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
