/** Checks on kubectl's human-readable output, and a long-running `kubectl proxy` for the proxy tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { ConformanceContext } from '../suite.ts';

/**
 * Every group of `required` must appear on one line, and the groups in order down the output, as
 * upstream's describe checks demand (a field printed in the wrong section does not count).
 */
export function missingInOrder(output: string, required: readonly (readonly string[])[]): string | undefined {
  const lines = output.split('\n');
  let at = 0;
  for (const group of required) {
    while (at < lines.length && !group.every((s) => (lines[at] as string).includes(s))) at++;
    if (at >= lines.length) return `no line (after the previous match) holds ${JSON.stringify(group)}`;
    at++;
  }
  return undefined;
}

/**
 * Starts `kubectl proxy` with `args` and resolves once it says where it serves (its first stdout
 * line); the process is stopped when the test ends.
 */
export function startKubectlProxy(ctx: ConformanceContext, args: readonly string[]): Promise<{ firstLine: string }> {
  const child: ChildProcess = spawn('kubectl', ['--kubeconfig', ctx.kubeconfigPath, 'proxy', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ctx.defer(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve({ firstLine: stdout.slice(0, newline) });
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`kubectl proxy exited ${code}: ${stderr.trim()}`)));
  });
}
