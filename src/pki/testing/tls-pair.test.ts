import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeTlsPair } from './tls-pair.ts';

it('writes a self-signed certificate for the name and the key that signed it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-tls-pair-'));
  try {
    const { certPath, keyPath } = writeTlsPair(dir, 'web.example.com');
    const cert = new X509Certificate(readFileSync(certPath));
    expect(cert.subject).toContain('CN=web.example.com');
    expect(cert.checkHost('web.example.com')).toBe('web.example.com');
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(keyPath)))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
