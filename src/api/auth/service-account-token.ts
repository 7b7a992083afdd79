/**
 * Service-account tokens: JWTs signed with the cluster's service-account key (ES256), carrying the
 * claims kube-apiserver's TokenRequest puts in a bound token (iss, sub, aud, exp, iat, nbf, jti and the
 * private `kubernetes.io` claim), so tools that decode them see what they expect.
 */
import { createHash, createPublicKey, type KeyObject, randomUUID, sign, verify } from 'node:crypto';

/** The issuer and default audience kube-apiserver uses unless `--service-account-issuer` says otherwise. */
export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';
export const defaultTokenAudiences: readonly string[] = [serviceAccountIssuer];
export const defaultTokenExpirationSeconds = 3600;

export interface BoundObjectReference {
  kind: string;
  apiVersion?: string;
  name: string;
  uid?: string;
}

export interface ServiceAccountTokenRequest {
  namespace: string;
  name: string;
  uid: string;
  audiences?: readonly string[];
  expirationSeconds?: number;
  boundObjectRef?: BoundObjectReference;
  /** Defaults to the current time; injectable so tests are deterministic. */
  now?: Date;
}

export interface IssuedServiceAccountToken {
  token: string;
  /** RFC 3339, second precision, as TokenRequest.status.expirationTimestamp. */
  expirationTimestamp: string;
  audiences: string[];
  expirationSeconds: number;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
    node?: { name: string; uid: string };
  };
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Key id as kube-apiserver derives it: the SHA-256 of the public key's DER, base64url. */
function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return base64url(
    createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest(),
  );
}

function boundClaim(ref: BoundObjectReference | undefined): Partial<ServiceAccountClaims['kubernetes.io']> {
  if (!ref) return {};
  const value = { name: ref.name, uid: ref.uid ?? '' };
  switch (ref.kind) {
    case 'Pod':
      return { pod: value };
    case 'Secret':
      return { secret: value };
    case 'Node':
      return { node: value };
    default:
      return {};
  }
}

/** Signs a token for `system:serviceaccount:<namespace>:<name>`. */
export function issueServiceAccountToken(
  signingKey: KeyObject,
  request: ServiceAccountTokenRequest,
): IssuedServiceAccountToken {
  const now = Math.floor((request.now ?? new Date()).getTime() / 1000);
  const expirationSeconds = request.expirationSeconds ?? defaultTokenExpirationSeconds;
  const audiences = [...(request.audiences?.length ? request.audiences : defaultTokenAudiences)];
  const claims: ServiceAccountClaims = {
    aud: audiences,
    exp: now + expirationSeconds,
    iat: now,
    iss: serviceAccountIssuer,
    jti: randomUUID(),
    'kubernetes.io': {
      namespace: request.namespace,
      serviceaccount: { name: request.name, uid: request.uid },
      ...boundClaim(request.boundObjectRef),
    },
    nbf: now,
    sub: `system:serviceaccount:${request.namespace}:${request.name}`,
  };
  const header = base64url(JSON.stringify({ alg: 'ES256', kid: keyId(signingKey) }));
  const payload = base64url(JSON.stringify(claims));
  // JWS wants the raw r||s form (RFC 7518 §3.4), not the DER node:crypto produces by default.
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: signingKey, dsaEncoding: 'ieee-p1363' });
  return {
    token: `${header}.${payload}.${base64url(signature)}`,
    expirationTimestamp: new Date((now + expirationSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    audiences,
    expirationSeconds,
  };
}

export interface VerifyOptions {
  /** The token must name at least one of these. Default: the issuer. */
  audiences?: readonly string[];
  now?: Date;
}

/** The claims of a valid, unexpired token of ours; undefined for anything else (never throws). */
export function verifyServiceAccountToken(
  publicKey: KeyObject,
  token: string,
  options: VerifyOptions = {},
): ServiceAccountClaims | undefined {
  const [header, payload, signature, ...extra] = token.split('.');
  if (!header || !payload || !signature || extra.length > 0) return undefined;
  try {
    const parsedHeader: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (!isRecord(parsedHeader) || parsedHeader.alg !== 'ES256') return undefined;
    const isSigned = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!isSigned) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!isServiceAccountClaims(claims)) return undefined;
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    if (claims.exp <= now || claims.nbf > now + 60) return undefined;
    if (claims.iss !== serviceAccountIssuer) return undefined;
    const wanted = options.audiences ?? defaultTokenAudiences;
    if (!claims.aud.some((a) => wanted.includes(a))) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isServiceAccountClaims(value: unknown): value is ServiceAccountClaims {
  if (!isRecord(value)) return false;
  const k8s = value['kubernetes.io'];
  if (!isRecord(k8s) || typeof k8s.namespace !== 'string' || !isRecord(k8s.serviceaccount)) return false;
  return (
    typeof value.sub === 'string' &&
    typeof value.iss === 'string' &&
    typeof value.exp === 'number' &&
    typeof value.nbf === 'number' &&
    Array.isArray(value.aud) &&
    value.aud.every((a) => typeof a === 'string') &&
    typeof k8s.serviceaccount.name === 'string' &&
    typeof k8s.serviceaccount.uid === 'string'
  );
}
