/**
 * The cluster's credentials, kept under `<dataDir>/pki/` so that a kubeconfig written once stays valid
 * across restarts on the same data dir: a CA, the API server's serving certificate, the admin client
 * certificate, the service-account signing key and the static admin bearer token.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createCertificate, type DistinguishedName } from './certificate.ts';
import { ipv6Groups } from './ip-address.ts';

export interface KeyPairPem {
  certificate: string;
  key: string;
}

export interface Pki {
  caCertificate: string;
  serving: KeyPairPem;
  admin: KeyPairPem;
  /** What pods/log presents to kubelets in other processes (kubeadm's apiserver-kubelet-client). */
  kubeletClient: KeyPairPem;
  /** Signs service-account tokens (ES256). */
  serviceAccountKey: KeyObject;
  serviceAccountPublicKey: KeyObject;
  adminToken: string;
  /** What this call had to write (empty on a restart with nothing to renew). */
  written: string[];
}

export interface PkiOptions {
  /** Extra SAN for the serving certificate (the `--host` value). */
  host: string;
  /** Use this admin token instead of the stored one (not persisted). */
  token?: string;
}

/** The names a pod or a user may reach the API server by, as kubeadm puts them on apiserver.crt. */
export const defaultAltNames = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  '127.0.0.1',
  '::1',
  '10.96.0.1',
] as const;

export const adminSubject: DistinguishedName = { commonName: 'kubernetes-admin', organizations: ['system:masters'] };
const caSubject: DistinguishedName = { commonName: 'wharf-ca' };
const servingSubject: DistinguishedName = { commonName: 'kube-apiserver' };
const kubeletClientSubject: DistinguishedName = {
  commonName: 'kube-apiserver-kubelet-client',
  organizations: ['system:masters'],
};

const caValidDays = 3650;
const leafValidDays = 365;
// Renew a leaf certificate on start when less than this is left, so a long-lived data dir keeps working.
const renewBeforeMs = 30 * 86_400_000;

function newKey(): KeyObject {
  // P-256 generation takes well under a millisecond; RSA-2048 takes tens to hundreds.
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

const keyPem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Loads the PKI under `<dataDir>/pki`, creating or renewing whatever is missing, expiring or mismatched. */
export function loadOrCreatePki(dataDir: string, options: PkiOptions): Pki {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const path = (file: string) => join(dir, file);
  const read = (file: string) => (existsSync(path(file)) ? readFileSync(path(file), 'utf8') : undefined);
  const write = (file: string, contents: string) => {
    // Write-then-rename: a crash mid-write must not leave a truncated key behind.
    writeFileSync(`${path(file)}.tmp`, contents, { mode: 0o600 });
    renameSync(`${path(file)}.tmp`, path(file));
    written.push(file);
  };

  let caPem = read('ca.crt');
  let caKeyPem = read('ca.key');
  let caIsNew = false;
  if (!caPem || !caKeyPem || isExpiring(caPem)) {
    const key = newKey();
    caKeyPem = keyPem(key);
    caPem = createCertificate({
      subject: caSubject,
      publicKey: createPublicKey(key),
      signingKey: key,
      role: 'ca',
      validDays: caValidDays,
    });
    write('ca.key', caKeyPem);
    write('ca.crt', caPem);
    caIsNew = true;
  }
  const caKey = createPrivateKey(caKeyPem);
  const ca = new X509Certificate(caPem);
  const issuer = { subject: caSubject, publicKey: ca.publicKey };

  const leaf = (base: string, subject: DistinguishedName, role: 'server' | 'client', altNames?: string[]) => {
    const existing = { certificate: read(`${base}.crt`), key: read(`${base}.key`) };
    if (existing.certificate && existing.key && !caIsNew && isValidLeaf(existing.certificate, ca, altNames)) {
      return { certificate: existing.certificate, key: existing.key };
    }
    const key = newKey();
    const certificate = createCertificate({
      subject,
      publicKey: createPublicKey(key),
      issuer,
      signingKey: caKey,
      role,
      validDays: leafValidDays,
      ...(altNames ? { altNames } : {}),
    });
    write(`${base}.key`, keyPem(key));
    write(`${base}.crt`, certificate);
    return { certificate, key: keyPem(key) };
  };

  const altNames = [...new Set<string>([...defaultAltNames, ...hostNames(options.host)])];
  const serving = leaf('apiserver', servingSubject, 'server', altNames);
  const admin = leaf('admin', adminSubject, 'client');
  const kubeletClient = leaf('apiserver-kubelet-client', kubeletClientSubject, 'client');

  let serviceAccountPem = read('service-account.key');
  if (!serviceAccountPem) {
    serviceAccountPem = keyPem(newKey());
    write('service-account.key', serviceAccountPem);
  }
  const serviceAccountKey = createPrivateKey(serviceAccountPem);

  let adminToken = read('admin.token')?.trim();
  if (!adminToken) {
    adminToken = randomBytes(32).toString('base64url');
    write('admin.token', `${adminToken}\n`);
  }

  return {
    caCertificate: caPem,
    serving,
    admin,
    kubeletClient,
    serviceAccountKey,
    serviceAccountPublicKey: createPublicKey(serviceAccountKey),
    adminToken: options.token ?? adminToken,
    written,
  };
}

/** `0.0.0.0` and `::` mean "every interface": they are not names a client connects to. */
function hostNames(host: string): string[] {
  if (host === '0.0.0.0' || host === '::' || host === '') return [];
  return [host.replace(/^\[(.*)\]$/, '$1')];
}

function isExpiring(pem: string): boolean {
  return Date.parse(new X509Certificate(pem).validTo) - Date.now() < renewBeforeMs;
}

function isValidLeaf(pem: string, ca: X509Certificate, altNames?: string[]): boolean {
  const certificate = new X509Certificate(pem);
  if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey) || isExpiring(pem)) return false;
  if (!altNames) return true;
  const present = new Set((certificate.subjectAltName ?? '').split(', ').map((entry) => entry.replace(/^[^:]+:/, '')));
  return altNames.every((n) => present.has(isIP(n) === 6 ? expandIpv6(n) : n));
}

/** Node prints IPv6 SANs expanded without leading zeros (`0:0:0:0:0:0:0:1`). */
const expandIpv6 = (ip: string): string =>
  ipv6Groups(ip)
    .map((g) => g.toString(16))
    .join(':');
