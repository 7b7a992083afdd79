/** Printers for core/v1 Endpoints and discovery.k8s.io/v1 EndpointSlice. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { integer, optionalInteger, optionalText, records, text, texts } from './fields.ts';

/** kube lists at most this many entries in a cell, then ` + N more...`. */
const shownEntries = 3;

/** Up to three entries joined by commas, then ` + N more...` counting all the rest. */
function truncatedList(entries: readonly string[], empty: string): string {
  if (entries.length === 0) return empty;
  const shown = entries.slice(0, shownEntries).join(',');
  return entries.length > shownEntries ? `${shown} + ${entries.length - shownEntries} more...` : shown;
}

/** `10.0.0.1:6443`; IPv6 addresses in brackets, as Go's net.JoinHostPort writes them. */
function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, column('Endpoints', 'string', 'Ready addresses with their ports.'), ageColumn],
  row(endpoints, now) {
    const entries: string[] = [];
    for (const subset of records(endpoints, 'subsets')) {
      const ips = records(subset, 'addresses').map((address) => text(address, 'ip'));
      const ports = records(subset, 'ports');
      // A headless service without ports lists bare IPs; otherwise every address for every port.
      if (ports.length === 0) entries.push(...ips);
      for (const port of ports) entries.push(...ips.map((ip) => hostPort(ip, integer(port, 'port'))));
    }
    // kube prints <none> only when there are no subsets; subsets without addresses give ''.
    const cell = records(endpoints, 'subsets').length === 0 ? '<none>' : truncatedList(entries, '');
    return [text(endpoints, 'metadata', 'name'), cell, age(endpoints, now)];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'The address family: IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Port numbers (or names) of the slice.'),
    column('Endpoints', 'string', 'Addresses of the endpoints in the slice.'),
    ageColumn,
  ],
  row(slice, now) {
    const ports = records(slice, 'ports').map(
      (port) => optionalInteger(port, 'port')?.toString() ?? optionalText(port, 'name') ?? '*',
    );
    const addresses = records(slice, 'endpoints').flatMap((endpoint) => texts(endpoint, 'addresses'));
    return [
      text(slice, 'metadata', 'name'),
      text(slice, 'addressType'),
      truncatedList(ports, '<unset>'),
      truncatedList(addresses, '<unset>'),
      age(slice, now),
    ];
  },
};
