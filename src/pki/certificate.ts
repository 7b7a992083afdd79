/**
 * Builds X.509 v3 certificates (RFC 5280) for EC P-256 keys and signs them with node:crypto.
 */
import { createHash, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  type Der,
  explicit,
  implicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.ts';
import { ipAddressBytes } from './ip-address.ts';

export interface DistinguishedName {
  commonName: string;
  /** Each becomes its own O attribute; Kubernetes reads them as the user's groups. */
  organizations?: readonly string[];
}

export type CertificateRole = 'ca' | 'server' | 'client';

export interface CertificateRequest {
  subject: DistinguishedName;
  publicKey: KeyObject;
  /** Omitted for a self-signed certificate (issuer = subject, signed by `signingKey`). */
  issuer?: { subject: DistinguishedName; publicKey: KeyObject };
  signingKey: KeyObject;
  role: CertificateRole;
  /** DNS names and IP addresses for subjectAltName. */
  altNames?: readonly string[];
  validDays: number;
  /** Defaults to now; backdated by an hour so clocks that are a little off still accept it. */
  now?: Date;
}

const oid = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function attribute(type: string, value: string): Der {
  return set(sequence(objectIdentifier(type), utf8String(value)));
}

function name(dn: DistinguishedName): Der {
  const organizations = (dn.organizations ?? []).map((o) => attribute(oid.organization, o));
  return sequence(...organizations, attribute(oid.commonName, dn.commonName));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // For P-256 the SPKI is a fixed 26-byte header followed by the 65-byte uncompressed point.
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

function extension(type: string, isCritical: boolean, value: Der): Der {
  return isCritical
    ? sequence(objectIdentifier(type), boolean(true), octetString(value))
    : sequence(objectIdentifier(type), octetString(value));
}

function altName(entry: string): Der {
  return isIP(entry) ? implicit(7, ipAddressBytes(entry)) : implicit(2, Buffer.from(entry, 'ascii'));
}

// keyUsage bits (RFC 5280 §4.2.1.3), most significant bit first: digitalSignature(0), keyCertSign(5), cRLSign(6).
const caKeyUsage = bitString(Buffer.from([0b1000_0110]), 1);
const leafKeyUsage = bitString(Buffer.from([0b1000_0000]), 7);

function extensions(request: CertificateRequest): Der[] {
  const issuerKey = request.issuer?.publicKey ?? request.publicKey;
  const list = [
    extension(oid.basicConstraints, true, request.role === 'ca' ? sequence(boolean(true)) : sequence()),
    extension(oid.keyUsage, true, request.role === 'ca' ? caKeyUsage : leafKeyUsage),
    extension(oid.subjectKeyIdentifier, false, octetString(keyIdentifier(request.publicKey))),
    extension(oid.authorityKeyIdentifier, false, sequence(implicit(0, keyIdentifier(issuerKey)))),
  ];
  if (request.role !== 'ca') {
    const usage = request.role === 'server' ? oid.serverAuth : oid.clientAuth;
    list.push(extension(oid.extKeyUsage, false, sequence(objectIdentifier(usage))));
  }
  if (request.altNames?.length) {
    list.push(extension(oid.subjectAltName, false, sequence(...request.altNames.map(altName))));
  }
  return list;
}

/** A signed certificate in PEM form. */
export function createCertificate(request: CertificateRequest): string {
  const now = request.now ?? new Date();
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + request.validDays * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const algorithm = sequence(objectIdentifier(oid.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    name(request.issuer?.subject ?? request.subject),
    sequence(time(notBefore), time(notAfter)),
    name(request.subject),
    request.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions(request))),
  );
  const signature = sign('sha256', tbs, request.signingKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}
