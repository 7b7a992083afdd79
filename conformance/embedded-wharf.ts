/**
 * Starts a fresh wharf from the built CLI (`dist/wharf.mjs`), exactly as a user would, on a free port
 * with a temporary data dir, and hands back the kubeconfig it writes when ready.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface EmbeddedWharf {
  kubeconfigPath: string;
  stop(): Promise<void>;
}

const repoRoot = resolve(import.meta.dirname, '..');

/** Builds dist/ first when it is missing. */
export async function startEmbeddedWharf(workDir: string, o: { nodes?: number } = {}): Promise<EmbeddedWharf> {
  const cli = join(repoRoot, 'dist', 'wharf.mjs');
  if (!existsSync(cli)) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const kubeconfigPath = join(workDir, 'kc');
  const args = [cli, 'up', '--port', '0', '--data-dir', join(workDir, 'data'), '--kubeconfig', kubeconfigPath];
  if (o.nodes !== undefined) args.push('--nodes', String(o.nodes));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`wharf not ready after 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (/is ready at/.test(output) && existsSync(kubeconfigPath)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wharf exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { kubeconfigPath, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
