/**
 * A throw-away P-256 key and self-signed serving certificate written as tls.crt and tls.key, for
 * `kubectl create secret tls` in tests. Made with our own certificate code, so tests need no openssl.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificate } from '../certificate.ts';

export function writeTlsPair(dir: string, commonName: string): { certPath: string; keyPath: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certPath = join(dir, 'tls.crt');
  const keyPath = join(dir, 'tls.key');
  const pem = createCertificate({
    subject: { commonName },
    publicKey,
    signingKey: privateKey,
    role: 'server',
    altNames: [commonName],
    validDays: 1,
  });
  writeFileSync(certPath, pem);
  writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { certPath, keyPath };
}
