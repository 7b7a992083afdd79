import { describe, expect, it } from 'vitest';
import { endpointSlicePrinter, endpointsPrinter } from './endpoints.ts';
import { cells, object } from './testing.ts';

const addresses = (...ips: string[]) => ips.map((ip) => ({ ip }));

describe('endpoints printer', () => {
  it.each([
    ['<none> without subsets', [], '<none>'],
    ['ip:port', [{ addresses: addresses('10.0.0.1'), ports: [{ port: 6443 }] }], '10.0.0.1:6443'],
    ['bare IPs without ports', [{ addresses: addresses('10.0.0.1', '10.0.0.2') }], '10.0.0.1,10.0.0.2'],
    ['bracketed IPv6', [{ addresses: addresses('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
    [
      'the first three, then + N more...',
      [{ addresses: addresses('10.0.0.1', '10.0.0.2', '10.0.0.3'), ports: [{ port: 80 }, { port: 443 }] }],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...',
    ],
    ['empty for subsets without addresses', [{ notReadyAddresses: addresses('10.0.0.9') }], ''],
  ])('prints %s', (_case, subsets, expected) => {
    expect(cells(endpointsPrinter, object('Endpoints', { subsets })).Endpoints).toBe(expected);
  });
});

describe('endpoint slice printer', () => {
  it('prints address type, ports and truncated endpoints', () => {
    const slice = object('EndpointSlice', {
      addressType: 'IPv4',
      ports: [{ port: 80 }, { name: 'metrics' }, {}],
      endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
    });
    expect(cells(endpointSlicePrinter, slice)).toMatchObject({
      AddressType: 'IPv4',
      Ports: '80,metrics,*',
      Endpoints: '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...',
    });
  });

  it('prints <unset> for an empty slice', () => {
    expect(cells(endpointSlicePrinter, object('EndpointSlice'))).toMatchObject({
      Ports: '<unset>',
      Endpoints: '<unset>',
    });
  });
});
