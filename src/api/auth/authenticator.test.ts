import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from './authenticator.ts';
import { issueServiceAccountToken } from './service-account-token.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const authenticate = createAuthenticator({ adminToken: 'admin-secret', serviceAccountPublicKey: publicKey });
const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe('authenticator', () => {
  it('takes user and groups from a verified client certificate', () => {
    const user = authenticate({
      headers: new Headers(),
      peerCertificate: { subject: { CN: 'alice', O: ['dev', 'ops'] } },
    });
    expect(user).toEqual({ username: 'alice', groups: ['dev', 'ops', 'system:authenticated'] });
  });

  it('maps the static admin token to kubernetes-admin in system:masters', () => {
    expect(authenticate({ headers: bearer('admin-secret') })).toEqual({
      username: 'kubernetes-admin',
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  it('maps a service-account token to its service account and groups', () => {
    const { token } = issueServiceAccountToken(privateKey, { namespace: 'ci', name: 'runner', uid: 'u-7' });
    const user = authenticate({ headers: bearer(token) });
    expect(user?.username).toBe('system:serviceaccount:ci:runner');
    expect(user?.uid).toBe('u-7');
    expect(user?.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated']);
  });

  it('recognises nobody without credentials or with a wrong token', () => {
    expect(authenticate({ headers: new Headers() })).toBeUndefined();
    expect(authenticate({ headers: bearer('admin-secre') })).toBeUndefined();
    expect(authenticate({ headers: new Headers({ authorization: 'Basic YWRtaW4=' }) })).toBeUndefined();
  });
});
