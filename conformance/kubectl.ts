/** The real kubectl on PATH, pointed at the cluster under test and the test's namespace. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Kubectl, KubectlResult } from './suite.ts';

export function kubectlRunner(o: { kubeconfigPath: string; namespace: string; cacheDir: string }): Kubectl {
  // A discovery cache per namespace (i.e. per test): a CRD created by one test must not be hidden by a
  // cache another test filled a moment earlier.
  const cacheDir = mkdtempSync(join(o.cacheDir, 'kubectl-'));
  return (args, options = {}) =>
    new Promise<KubectlResult>((resolve, reject) => {
      const child = spawn(
        'kubectl',
        ['--kubeconfig', o.kubeconfigPath, '--cache-dir', cacheDir, '--namespace', o.namespace, ...args],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => {
        const result = { code: code ?? -1, stdout, stderr };
        if (result.code !== 0 && !options.allowFailure) {
          reject(new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${stderr.trim() || stdout.trim()}`));
        } else resolve(result);
      });
      child.stdin.end(options.input ?? '');
    });
}
