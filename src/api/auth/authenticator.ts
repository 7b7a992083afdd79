/**
 * Who is calling: a client certificate the TLS layer verified against our CA, the static admin bearer
 * token, or a service-account token. Mirrors kube-apiserver's authenticator union: the first method
 * that recognises the request wins; undefined means unauthenticated (the API layer answers 401, except
 * for the paths it serves to anyone).
 */
import { type KeyObject, timingSafeEqual } from 'node:crypto';
import type { UserInfo } from '../../types/meta.ts';
import { verifyServiceAccountToken } from './service-account-token.ts';

/** The subject of a client certificate that passed TLS verification (Node's `getPeerCertificate().subject`). */
export interface PeerCertificate {
  subject: { CN?: string; O?: string | string[] };
}

export interface AuthenticationRequest {
  headers: Headers;
  /** Only set when the TLS handshake verified the certificate against the cluster CA. */
  peerCertificate?: PeerCertificate;
}

export type Authenticate = (request: AuthenticationRequest) => UserInfo | undefined;

export interface AuthenticatorOptions {
  adminToken: string;
  serviceAccountPublicKey: KeyObject;
  /** Audiences a service-account token must carry one of. Default: the cluster's issuer. */
  audiences?: readonly string[];
}

export const adminUser = 'kubernetes-admin';
const authenticatedGroup = 'system:authenticated';

export function createAuthenticator(options: AuthenticatorOptions): Authenticate {
  const adminToken = Buffer.from(options.adminToken);
  return (request) => {
    const fromCertificate = request.peerCertificate && userFromCertificate(request.peerCertificate);
    if (fromCertificate) return fromCertificate;
    const token = bearerToken(request.headers);
    if (!token) return undefined;
    if (isSameSecret(Buffer.from(token), adminToken)) {
      return { username: adminUser, groups: ['system:masters', authenticatedGroup] };
    }
    const claims = verifyServiceAccountToken(
      options.serviceAccountPublicKey,
      token,
      options.audiences ? { audiences: options.audiences } : {},
    );
    if (!claims) return undefined;
    const namespace = claims['kubernetes.io'].namespace;
    return {
      username: claims.sub,
      uid: claims['kubernetes.io'].serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, authenticatedGroup],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
    };
  };
}

/** x509 authenticator: user = CN, groups = each O, as kube-apiserver's CommonNameUserConversion. */
function userFromCertificate(certificate: PeerCertificate): UserInfo | undefined {
  const { CN, O } = certificate.subject;
  if (!CN) return undefined;
  const organizations = O === undefined ? [] : Array.isArray(O) ? O : [O];
  return { username: CN, groups: [...organizations, authenticatedGroup] };
}

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235). */
function bearerToken(headers: Headers): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match?.[1];
}

function isSameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
