import { describe, expect, it } from 'vitest';
import { servicePrinter } from './service.ts';
import { cells, object } from './testing.ts';

const service = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) =>
  object('Service', { spec, status });

describe('service printer', () => {
  it.each([
    ['one port', [{ port: 443, protocol: 'TCP' }], '443/TCP'],
    ['a node port', [{ port: 80, nodePort: 30080, protocol: 'TCP' }], '80:30080/TCP'],
    ['several ports, TCP by default', [{ port: 53, protocol: 'UDP' }, { port: 53 }], '53/UDP,53/TCP'],
    ['no ports', [], '<none>'],
  ])('prints Port(s) for %s', (_case, ports, expected) => {
    expect(cells(servicePrinter, service({ type: 'NodePort', ports }))['Port(s)']).toBe(expected);
  });

  it.each([
    ['ClusterIP without external IPs', { type: 'ClusterIP' }, {}, '<none>'],
    ['ClusterIP with external IPs', { type: 'ClusterIP', externalIPs: ['1.2.3.4', '5.6.7.8'] }, {}, '1.2.3.4,5.6.7.8'],
    ['a LoadBalancer still waiting', { type: 'LoadBalancer' }, {}, '<pending>'],
    [
      'a LoadBalancer with ingress, sorted',
      { type: 'LoadBalancer' },
      { loadBalancer: { ingress: [{ ip: '9.9.9.9' }, { hostname: 'lb.example.com' }, { ip: '1.1.1.1' }] } },
      '1.1.1.1,9.9.9.9,lb.example.com',
    ],
    [
      'a LoadBalancer with ingress and external IPs',
      { type: 'LoadBalancer', externalIPs: ['5.5.5.5'] },
      { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } },
      '1.1.1.1,5.5.5.5',
    ],
    ['an ExternalName', { type: 'ExternalName', externalName: 'db.example.com' }, {}, 'db.example.com'],
  ])('prints External-IP for %s', (_case, spec, status, expected) => {
    expect(cells(servicePrinter, service(spec, status))['External-IP']).toBe(expected);
  });

  it('prints type, first cluster IP and the selector', () => {
    const row = cells(servicePrinter, service({ clusterIPs: ['10.96.0.10', 'fd00::a'], selector: { b: '2', a: '1' } }));
    expect(row).toMatchObject({ Type: 'ClusterIP', 'Cluster-IP': '10.96.0.10', Selector: 'a=1,b=2', Age: '5m' });
  });

  it('prints None for a headless service and <none> without a selector', () => {
    const row = cells(servicePrinter, service({ clusterIP: 'None' }));
    expect(row).toMatchObject({ 'Cluster-IP': 'None', Selector: '<none>' });
  });
});
