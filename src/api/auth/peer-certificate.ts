import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { PeerCertificate } from './authenticator.ts';

/**
 * The client certificate of a connection, but only if the TLS handshake verified it against the CA.
 * The server asks for certificates without requiring them (`rejectUnauthorized: false`) so token users
 * and anonymous health checks still connect; `authorized` is what tells a verified chain from a
 * self-made certificate.
 */
export function verifiedPeerCertificate(socket: Socket | undefined): PeerCertificate | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const certificate = socket.getPeerCertificate();
  if (!certificate?.subject) return undefined;
  const subject: PeerCertificate['subject'] = {};
  if (typeof certificate.subject.CN === 'string') subject.CN = certificate.subject.CN;
  const organizations: unknown = certificate.subject.O;
  if (typeof organizations === 'string') subject.O = organizations;
  else if (Array.isArray(organizations)) subject.O = organizations.filter((o): o is string => typeof o === 'string');
  return { subject };
}

/** Whether the client sent any certificate at all (Node returns an empty object when it did not). */
export function hasPeerCertificate(socket: Socket | undefined): boolean {
  if (!(socket instanceof TLSSocket)) return false;
  const certificate = socket.getPeerCertificate();
  return Boolean(certificate && Object.keys(certificate).length > 0);
}
