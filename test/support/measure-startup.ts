/**
 * Measures how long `node dist/wharf.mjs up` takes from spawn until /readyz answers ok, on a fresh
 * data dir and on a restart of the same one. Not a test (timings do not belong in tests):
 * `npx tsx test/support/measure-startup.ts [runs]`; prints one JSON line per run and the worst of each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './tools.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function isReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // The CA is being created by the process under test; readiness is all this checks.
    const req = request(
      { host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, timeout: 200 },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve(res.statusCode === 200 && body === 'ok'));
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function measure(dataDir: string): Promise<{ readyMs: number; reportedMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'dist/wharf.mjs'),
      'up',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--kubeconfig',
      join(dataDir, 'kc'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  while (!(await isReady(port))) {
    if (child.exitCode !== null) throw new Error(`wharf exited with ${child.exitCode}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readyMs = performance.now() - started;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const reported = /started in (\d+) ms/.exec(output);
  return { readyMs: Math.round(readyMs), reportedMs: Number(reported?.[1] ?? Number.NaN) };
}

const runs = Number(process.argv[2] ?? 3);
const worst = { fresh: 0, restart: 0 };
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wharf-startup-'));
  try {
    const fresh = await measure(dataDir);
    const restart = await measure(dataDir);
    console.log(JSON.stringify({ run: i + 1, fresh, restart }));
    worst.fresh = Math.max(worst.fresh, fresh.readyMs);
    worst.restart = Math.max(worst.restart, restart.readyMs);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log(JSON.stringify({ worstReadyMs: worst, budgetMs: 1000, met: worst.fresh <= 1000 && worst.restart <= 1000 }));
