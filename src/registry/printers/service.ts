import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { type Fields, integer, record, records, stringMap, text, texts } from './fields.ts';
import { formatLabels } from './labels.ts';

/** `kubectl get services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR. */
export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The virtual IP inside the cluster, or None for a headless service.'),
    column('External-IP', 'string', 'Addresses reachable from outside: load balancer ingress or spec.externalIPs.'),
    column('Port(s)', 'string', 'Service ports as port[:nodePort]/protocol.'),
    ageColumn,
    wide('Selector', 'string', 'Labels of the pods that back the service.'),
  ],
  row(service, now) {
    const spec = record(service, 'spec');
    // spec.type defaults to ClusterIP; a stored service always has it.
    const type = text(spec, 'type') || 'ClusterIP';
    return [
      text(service, 'metadata', 'name'),
      type,
      texts(spec, 'clusterIPs')[0] || text(spec, 'clusterIP') || '<none>',
      externalIP(service, type),
      portsCell(records(spec, 'ports')) || '<none>',
      age(service, now),
      formatLabels(stringMap(spec, 'selector')),
    ];
  },
};

function externalIP(service: unknown, type: string): string {
  const externalIPs = texts(service, 'spec', 'externalIPs');
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = loadBalancerAddresses(record(service, 'status', 'loadBalancer'));
      if (externalIPs.length > 0) return [...ingress, ...externalIPs].join(',');
      return ingress.length > 0 ? ingress.join(',') : '<pending>';
    }
    case 'ExternalName':
      return text(service, 'spec', 'externalName');
    default:
      return '<unknown>';
  }
}

/**
 * Load balancer ingress points, IP preferred over hostname, de-duplicated and sorted (kube keeps
 * them in a string set). Shared with ingresses.
 */
export function loadBalancerAddresses(loadBalancer: Fields): string[] {
  const addresses = new Set<string>();
  for (const ingress of records(loadBalancer, 'ingress')) {
    const address = text(ingress, 'ip') || text(ingress, 'hostname');
    if (address !== '') addresses.add(address);
  }
  return [...addresses].sort();
}

/** `80/TCP`, `80:30080/TCP` with a node port; protocol defaults to TCP. */
function portsCell(ports: Fields[]): string {
  return ports
    .map((port) => {
      const protocol = text(port, 'protocol') || 'TCP';
      const nodePort = integer(port, 'nodePort');
      return nodePort > 0 ? `${integer(port, 'port')}:${nodePort}/${protocol}` : `${integer(port, 'port')}/${protocol}`;
    })
    .join(',');
}
