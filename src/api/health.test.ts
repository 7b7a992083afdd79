import { describe, expect, it } from 'vitest';
import { testApp } from './testing/test-app.ts';

const failing = {
  name: 'etcd',
  check() {
    throw new Error('store closed');
  },
};

describe('health endpoints', () => {
  it('answers ok as text, and lists every check with ?verbose', async () => {
    const t = testApp({ healthChecks: [{ name: 'etcd', check() {} }] });
    const plain = await t.request('GET', '/readyz');
    expect(plain.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await plain.text()).toBe('ok');
    expect(await (await t.request('GET', '/livez?verbose')).text()).toBe(
      '[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n',
    );
  });

  it('answers 500 with the failing check withheld, also without ?verbose', async () => {
    const t = testApp({ healthChecks: [failing] });
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\nhealthz check failed\n');
  });

  it('skips excluded checks and serves single checks by path', async () => {
    const t = testApp({ healthChecks: [failing] });
    const res = await t.request('GET', '/readyz?exclude=etcd&verbose=true');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('[+]etcd excluded: ok');
    expect(await (await t.request('GET', '/readyz/ping')).text()).toBe('ok');
    expect((await t.request('GET', '/readyz/etcd')).status).toBe(500);
    expect((await t.request('GET', '/readyz/nothing')).status).toBe(404);
  });
});

describe('client certificates', () => {
  it('passes the certificate server.ts verified to the authenticator', async () => {
    let commonName: string | undefined;
    const t = testApp({
      authenticate: (r) => {
        commonName = r.peerCertificate?.subject.CN;
        return commonName ? { username: commonName, groups: [] } : undefined;
      },
    });
    const request = new Request('http://localhost/api/v1/namespaces/default/pods');
    const res = await t.app.fetch(request, {
      peerCertificate: { subject: { CN: 'kubernetes-admin', O: 'system:masters' } },
    });
    expect(res.status).toBe(200);
    expect(commonName).toBe('kubernetes-admin');
  });
});
