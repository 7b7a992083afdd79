import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueServiceAccountToken, verifyServiceAccountToken } from './service-account-token.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const request = { namespace: 'team-a', name: 'builder', uid: 'uid-1' };
const now = new Date('2026-05-01T10:00:00Z');

describe('service-account tokens', () => {
  it('issues a token that verifies, with the claims kube-apiserver sets', () => {
    const issued = issueServiceAccountToken(privateKey, { ...request, now });
    expect(issued.expirationTimestamp).toBe('2026-05-01T11:00:00Z');
    expect(issued.audiences).toEqual(['https://kubernetes.default.svc.cluster.local']);
    const claims = verifyServiceAccountToken(publicKey, issued.token, { now });
    expect(claims?.sub).toBe('system:serviceaccount:team-a:builder');
    expect(claims?.['kubernetes.io']).toEqual({
      namespace: 'team-a',
      serviceaccount: { name: 'builder', uid: 'uid-1' },
    });
  });

  it('rejects an expired token', () => {
    const issued = issueServiceAccountToken(privateKey, { ...request, expirationSeconds: 600, now });
    expect(
      verifyServiceAccountToken(publicKey, issued.token, { now: new Date(now.getTime() + 601_000) }),
    ).toBeUndefined();
  });

  it('rejects a token signed by another key or with an edited payload', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(verifyServiceAccountToken(publicKey, issueServiceAccountToken(other, request).token)).toBeUndefined();
    const [header, , signature] = issueServiceAccountToken(privateKey, request).token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:kube-system:admin' })).toString(
      'base64url',
    );
    expect(verifyServiceAccountToken(publicKey, `${header}.${forged}.${signature}`)).toBeUndefined();
    expect(verifyServiceAccountToken(publicKey, 'not-a-jwt')).toBeUndefined();
  });

  it('checks the audience', () => {
    const issued = issueServiceAccountToken(privateKey, { ...request, audiences: ['vault'], now });
    expect(verifyServiceAccountToken(publicKey, issued.token, { now })).toBeUndefined();
    expect(verifyServiceAccountToken(publicKey, issued.token, { now, audiences: ['vault'] })?.aud).toEqual(['vault']);
  });
});
