import { describe, expect, it } from 'vitest';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.ts';
import { cells, object } from './testing.ts';

const rules = (...hosts: string[]) => hosts.map((host) => (host ? { host } : {}));

describe('ingress printer', () => {
  it.each([
    ['* when no rule has a host', rules('', ''), '*'],
    ['hosts in order', rules('a.example', '', 'b.example'), 'a.example,b.example'],
    ['+ N more... counting rules past the third', rules('a', 'b', 'c', 'd', 'e'), 'a,b,c + 2 more...'],
  ])('prints Hosts: %s', (_case, ingressRules, expected) => {
    expect(cells(ingressPrinter, object('Ingress', { spec: { rules: ingressRules } })).Hosts).toBe(expected);
  });

  it('prints class, address and ports', () => {
    const ingress = object('Ingress', {
      spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a'] }] },
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } },
    });
    expect(cells(ingressPrinter, ingress)).toMatchObject({ Class: 'nginx', Address: '10.0.0.9', Ports: '80, 443' });
    expect(cells(ingressPrinter, object('Ingress'))).toMatchObject({ Class: '<none>', Address: '', Ports: '80' });
  });
});

describe('ingress class and network policy printers', () => {
  it('prints parameters as Kind.group/name', () => {
    const withGroup = object('IngressClass', {
      spec: {
        controller: 'k8s.io/ingress-nginx',
        parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' },
      },
    });
    expect(cells(ingressClassPrinter, withGroup)).toMatchObject({
      Controller: 'k8s.io/ingress-nginx',
      Parameters: 'Params.k8s.example.com/p',
    });
    expect(cells(ingressClassPrinter, object('IngressClass')).Parameters).toBe('<none>');
  });

  it('prints the pod selector, <none> for all pods', () => {
    const policy = object('NetworkPolicy', { spec: { podSelector: { matchLabels: { app: 'db' } } } });
    expect(cells(networkPolicyPrinter, policy)['Pod-Selector']).toBe('app=db');
    expect(cells(networkPolicyPrinter, object('NetworkPolicy', { spec: { podSelector: {} } }))['Pod-Selector']).toBe(
      '<none>',
    );
  });
});
