import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreatePki } from './load-or-create-pki.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wharf-pki-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadOrCreatePki', () => {
  it('creates a CA that signs a serving and an admin certificate', () => {
    const pki = loadOrCreatePki(dataDir, { host: '127.0.0.1' });
    const ca = new X509Certificate(pki.caCertificate);
    const serving = new X509Certificate(pki.serving.certificate);
    const admin = new X509Certificate(pki.admin.certificate);
    expect(ca.ca).toBe(true);
    expect(serving.ca).toBe(false);
    expect(serving.checkIssued(ca) && serving.verify(ca.publicKey)).toBe(true);
    expect(admin.verify(ca.publicKey)).toBe(true);
    expect(admin.subject.split('\n').sort()).toEqual(['CN=kubernetes-admin', 'O=system:masters']);
    expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(9 * 365 * 86_400_000);
    expect(serving.checkHost('kubernetes.default.svc.cluster.local')).toBeDefined();
    for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) expect(serving.checkIP(ip)).toBe(ip);
    expect(pki.adminToken.length).toBeGreaterThanOrEqual(32);
  });

  it('reuses everything on restart so an old kubeconfig stays valid', () => {
    const first = loadOrCreatePki(dataDir, { host: '127.0.0.1' });
    const second = loadOrCreatePki(dataDir, { host: '127.0.0.1' });
    expect(second.written).toEqual([]);
    expect(second.caCertificate).toBe(first.caCertificate);
    expect(second.admin).toEqual(first.admin);
    expect(second.adminToken).toBe(first.adminToken);
    expect(readFileSync(join(dataDir, 'pki', 'admin.token'), 'utf8').trim()).toBe(first.adminToken);
  });

  it('reissues only the serving certificate when --host names a new address', () => {
    const first = loadOrCreatePki(dataDir, { host: '127.0.0.1' });
    const second = loadOrCreatePki(dataDir, { host: 'wharf.example.test' });
    expect(second.written.sort()).toEqual(['apiserver.crt', 'apiserver.key']);
    expect(second.caCertificate).toBe(first.caCertificate);
    expect(new X509Certificate(second.serving.certificate).checkHost('wharf.example.test')).toBe('wharf.example.test');
  });

  it('lets --token override the stored admin token without replacing it', () => {
    const first = loadOrCreatePki(dataDir, { host: '127.0.0.1' });
    expect(loadOrCreatePki(dataDir, { host: '127.0.0.1', token: 'given' }).adminToken).toBe('given');
    expect(loadOrCreatePki(dataDir, { host: '127.0.0.1' }).adminToken).toBe(first.adminToken);
  });
});
