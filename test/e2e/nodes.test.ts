/**
 * `wharf nodes` as its own process against a second wharf's API server over HTTPS (started with
 * --nodes 0, so every node here is remote): the nodes register and turn Ready, keep Leases, run pods
 * to completion, serve their logs through a kubelet endpoint, show in kubectl top, and stop cleanly
 * on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../src/controllers/runtime/eventually.ts';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { repoRoot } from '../support/tools.ts';

let wharf: Wharf;
let nodes: ChildProcess;
let nodesOutput = '';
let nodesExit: Promise<number | null>;

const k = async (...args: string[]) => {
  const result = await kubectl('1.35', args, { kubeconfig: wharf.kubeconfig, timeoutMs: 60_000 });
  expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
};

beforeAll(async () => {
  wharf = await startWharf({ nodes: 0 });
  nodes = spawn(
    process.execPath,
    [
      join(repoRoot, 'dist', 'wharf.mjs'),
      'nodes',
      '--kubeconfig',
      wharf.kubeconfig,
      '--count',
      '2',
      '--name-prefix',
      'remote',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  nodesExit = new Promise((resolve) => nodes.once('exit', (code) => resolve(code)));
  for (const stream of [nodes.stdout, nodes.stderr])
    stream?.on('data', (chunk: Buffer) => (nodesOutput += chunk.toString()));
  await eventually(() => expect(nodesOutput).toMatch(/Press Ctrl-C to stop/), 3000);
}, 60_000);
afterAll(async () => {
  if (nodes && nodes.exitCode === null) nodes.kill('SIGKILL');
  expect(await wharf?.stop()).toBe(0);
});

describe('wharf nodes against another API server', () => {
  it('says which server it joined', () => {
    expect(nodesOutput).toContain(`wharf nodes: 2 simulated node(s) joined ${wharf.url} (remote-1 … remote-2)`);
  });

  it('registers Ready nodes with Leases in kube-node-lease', async () => {
    await eventually(async () => {
      const out = await k('get', 'nodes', '--no-headers');
      expect(out).toMatch(/^remote-1\s+Ready\s/m);
      expect(out).toMatch(/^remote-2\s+Ready\s/m);
    }, 3000);
    // Renewals are spread over the 10 s interval, so the second node's first Lease may come seconds later.
    await eventually(async () => {
      const leases = JSON.parse(await k('get', 'leases', '-n', 'kube-node-lease', '-o', 'json')) as {
        items: { metadata: { name: string }; spec: { holderIdentity: string; renewTime: string } }[];
      };
      expect(leases.items.map((l) => l.metadata.name).sort()).toEqual(['remote-1', 'remote-2']);
      expect(leases.items.map((l) => l.spec.holderIdentity).sort()).toEqual(['remote-1', 'remote-2']);
    }, 3000);
  });

  it('runs a pod scheduled onto a remote node to completion', async () => {
    await k('run', 'job', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo remote; exit 0');
    await eventually(async () => {
      expect(await k('get', 'pod', 'job', '-o', 'jsonpath={.status.phase}')).toBe('Succeeded');
    }, 3000);
    expect(await k('get', 'pod', 'job', '-o', 'jsonpath={.spec.nodeName}')).toMatch(/^remote-\d$/);
  });

  it('serves kubectl logs of remote pods through their kubelet endpoint, follow included', async () => {
    expect(nodesOutput).toMatch(/kubelet endpoint \(logs\): https:\/\/127\.0\.0\.1:\d+/);
    expect(await k('logs', 'job')).toBe('remote\n');
    await k('run', 'ticker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo tick; sleep 2; echo tock');
    await eventually(async () => {
      expect(await k('get', 'pod', 'ticker', '-o', 'jsonpath={.status.phase}')).toBe('Running');
    }, 3000);
    // Follow returns once the container ends, with the line written while it streamed.
    expect(await k('logs', '-f', 'ticker')).toBe('tick\ntock\n');
    const missing = await kubectl('1.35', ['logs', 'job', '-c', 'other'], { kubeconfig: wharf.kubeconfig });
    expect(missing.stderr).toContain('container other is not valid for pod job');
  });

  it('shows the remote nodes in kubectl top, computed by the API server', async () => {
    const out = await k('top', 'nodes');
    expect(out).toMatch(/^remote-1\s+\d+m\s+\d+%/m);
    expect(out).toMatch(/^remote-2\s+\d+m\s+\d+%/m);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    nodes.kill('SIGTERM');
    expect(await nodesExit).toBe(0);
    expect(nodesOutput).toContain('SIGTERM: stopping the simulated nodes');
  });
});
