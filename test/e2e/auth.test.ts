/**
 * Authentication over the real TLS listener: anonymous requests get 401 except health and version;
 * the admin token, the admin certificate and service-account tokens are recognised.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';

let wharf: Wharf;
let ca: string;
beforeAll(async () => {
  wharf = await startWharf();
  ca = readFileSync(join(wharf.dataDir, 'pki', 'ca.crt'), 'utf8');
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${wharf.url}${path}`, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('authentication', () => {
  it.each(['/healthz', '/livez', '/readyz', '/version'])('serves %s without credentials', async (path) => {
    expect((await get(path)).status).toBe(200);
  });

  it.each(['/api', '/apis', '/api/v1/namespaces', '/openapi/v2', '/metrics', '/nope'])(
    'answers %s without credentials with 401 Unauthorized',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    },
  );

  it('rejects a wrong bearer token and accepts the admin token from the data dir', async () => {
    expect((await get('/api/v1/namespaces', { Authorization: 'Bearer wrong' })).status).toBe(401);
    const token = readFileSync(join(wharf.dataDir, 'pki', 'admin.token'), 'utf8').trim();
    expect((await get('/api/v1/namespaces', { Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  // 1.30 sends JSON bodies, 1.33 protobuf (contract §18): both must see the certificate's user.
  it.each(['1.30', '1.33'] as const)('kubectl %s auth whoami names the admin certificate user', async (version) => {
    const whoami = await kubectl(version, ['auth', 'whoami', '-o', 'json'], { kubeconfig: wharf.kubeconfig });
    expect(whoami.stderr).toBe('');
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      status: { userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } },
    });
  });

  it('recognises a service-account token from kubectl create token', async () => {
    const options = { kubeconfig: wharf.kubeconfig };
    expect((await kubectl('1.30', ['create', 'serviceaccount', 'robot'], options)).stdout).toBe(
      'serviceaccount/robot created\n',
    );
    const token = await kubectl('1.30', ['create', 'token', 'robot'], options);
    expect(token.stderr).toBe('');
    expect(token.code).toBe(0);
    const review = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${wharf.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
        {
          ca,
          method: 'POST',
          headers: { Authorization: `Bearer ${token.stdout.trim()}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
    });
    expect(review.status).toBe(201);
    expect(JSON.parse(review.body)).toMatchObject({
      status: {
        userInfo: {
          username: 'system:serviceaccount:default:robot',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
        },
      },
    });
  });
});
