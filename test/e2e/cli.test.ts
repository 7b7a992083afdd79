/**
 * The `wharf` command line as users meet it: help texts, flag errors, and the ready message.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../support/kubectl.ts';
import { startWharf } from '../support/start-wharf.ts';
import { repoRoot } from '../support/tools.ts';

const wharf = (...args: string[]) => run(process.execPath, [join(repoRoot, 'dist', 'wharf.mjs'), ...args]);

describe('wharf CLI', () => {
  it.each([['--help'], ['up', '--help'], ['up', '-h']])('prints help for %j and exits 0', async (...args) => {
    const result = await wharf(...args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: wharf/);
    if (args[0] === 'up') {
      for (const flag of ['--port', '--nodes', '--data-dir', '--etcd', '--host', '--kubeconfig', '--token']) {
        expect(result.stdout).toContain(flag);
      }
    }
  });

  it('rejects an unknown flag with exit code 2 and the usage', async () => {
    const result = await wharf('up', '--prot', '6443');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Unknown option '--prot'/);
    expect(result.stderr).toContain('Usage: wharf up');
  });

  it('rejects an unknown command', async () => {
    const result = await wharf('down');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "down"/);
  });

  it('says where it listens and how to use it, and stops with exit code 0', async () => {
    const cluster = await startWharf();
    let exitCode: number | null | undefined;
    try {
      expect(cluster.output()).toMatch(/^wharf is ready at https:\/\/127\.0\.0\.1:\d+ \(started in \d+ ms\)$/m);
      // Printed relative to the working directory (the data dir here) when inside it.
      const printed = /export KUBECONFIG=(\S+)/.exec(cluster.output())?.[1] ?? '';
      expect(resolve(cluster.dataDir, printed)).toBe(cluster.kubeconfig);
      expect(cluster.output()).toContain('kubectl get nodes');
    } finally {
      exitCode = await cluster.stop();
    }
    expect(exitCode).toBe(0);
  });
});
