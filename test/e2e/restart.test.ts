/**
 * Stopping with SIGTERM and starting again on the same data dir keeps every object, and the
 * kubeconfig written by the first run still works against the second.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf } from '../support/start-wharf.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wharf-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('restart on the same data dir', () => {
  it('keeps objects and the kubeconfig stays valid', async () => {
    const first = await startWharf({ dataDir });
    const kubeconfig = join(dataDir, 'kc');
    const copy = join(dataDir, 'kc-first');
    const original = readFileSync(kubeconfig, 'utf8');
    const port = first.port;
    try {
      // --validate=false: this test is about the data dir, not about serving OpenAPI.
      const manifest = JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'survivor' },
        data: { a: '1' },
      });
      const created = await kubectl('1.33', ['create', '--validate=false', '-f', '-'], { kubeconfig, input: manifest });
      expect(created.stdout).toBe('configmap/survivor created\n');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    writeFileSync(copy, original);

    const second = await startWharf({ dataDir, port });
    try {
      const got = await kubectl('1.33', ['get', 'configmap', 'survivor', '-o', 'jsonpath={.data.a}'], {
        kubeconfig: copy,
      });
      expect(got.stderr).toBe('');
      expect(got.stdout).toBe('1');
      expect(readFileSync(kubeconfig, 'utf8')).toBe(original);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
