import { isIP } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, `::` expanded (`::1` → 0,0,0,0,0,0,0,1). */
export function ipv6Groups(ip: string): number[] {
  const [head = '', tail = ''] = ip.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const fill = ip.includes('::') ? 8 - groups(head).length - groups(tail).length : 0;
  return [...groups(head), ...Array<number>(fill).fill(0), ...groups(tail)];
}

/** Network-order bytes of an IPv4 or IPv6 address, as X.509 stores an iPAddress SAN. */
export function ipAddressBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  return Buffer.from(ipv6Groups(ip).flatMap((g) => [g >> 8, g & 0xff]));
}
