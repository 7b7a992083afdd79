/** Checks on kubectl's human-readable output, and a long-running `kubectl proxy` for the proxy tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { ConformanceContext } from '../suite.ts';

/**
 * The groups of `required` in order down the output, as upstream's describe checks demand (a field
 * printed in the wrong section does not count): the next line holding a group's first string must
 * hold the group's other strings too. That line may also satisfy the next group, as upstream allows:
 * its `Version:` and `Kernel Version:` lines of describe node are one line.
 */
export function missingInOrder(output: string, required: readonly (readonly string[])[]): string | undefined {
  const lines = output.split('\n');
  let at = 0;
  for (const [first = '', ...rest] of required) {
    while (at < lines.length && !(lines[at] as string).includes(first)) at++;
    const line = lines[at];
    if (line === undefined) return `no line (from the previous match on) holds ${JSON.stringify(first)}`;
    const absent = rest.filter((s) => !line.includes(s));
    if (absent.length) return `the line ${JSON.stringify(line)} lacks ${JSON.stringify(absent)}`;
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
