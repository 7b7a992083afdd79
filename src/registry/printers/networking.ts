/** Printers for networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { optionalText, record, records, text, texts } from './fields.ts';
import { formatLabelSelector } from './labels.ts';
import { loadBalancerAddresses } from './service.ts';

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The IngressClass that handles this ingress.'),
    column('Hosts', 'string', 'Host names the rules match.'),
    column('Address', 'string', 'Addresses of the load balancer serving the ingress.'),
    column('Ports', 'string', 'Ports the ingress listens on: 80, plus 443 with TLS.'),
    ageColumn,
  ],
  row(ingress, now) {
    return [
      text(ingress, 'metadata', 'name'),
      optionalText(ingress, 'spec', 'ingressClassName') ?? '<none>',
      hosts(ingress),
      loadBalancerAddresses(record(ingress, 'status', 'loadBalancer')).join(','),
      records(ingress, 'spec', 'tls').length > 0 ? '80, 443' : '80',
      age(ingress, now),
    ];
  },
};

/**
 * Up to three rule hosts (rules without a host add nothing), `*` when none has one. Once three are
 * listed, any further rule adds ` + N more...` where N counts rules, not hosts (printers.go formatHosts).
 */
function hosts(ingress: unknown): string {
  const rules = records(ingress, 'spec', 'rules');
  const shown: string[] = [];
  let hasMore = false;
  for (const rule of rules) {
    if (shown.length === 3) hasMore = true;
    const host = text(rule, 'host');
    if (!hasMore && host !== '') shown.push(host);
  }
  if (shown.length === 0) return '*';
  return hasMore ? `${shown.join(',')} + ${rules.length - 3} more...` : shown.join(',');
}

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'The controller that implements this class.'),
    column('Parameters', 'string', 'The resource holding extra configuration, as Kind.group/name.'),
    ageColumn,
  ],
  row(ingressClass, now) {
    const parameters = record(ingressClass, 'spec', 'parameters');
    let parametersCell = '<none>';
    if (Object.keys(parameters).length > 0) {
      const group = optionalText(parameters, 'apiGroup');
      const kind = group === undefined ? text(parameters, 'kind') : `${text(parameters, 'kind')}.${group}`;
      parametersCell = `${kind}/${text(parameters, 'name')}`;
    }
    return [
      text(ingressClass, 'metadata', 'name'),
      text(ingressClass, 'spec', 'controller'),
      parametersCell,
      age(ingressClass, now),
    ];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [nameColumn, column('Pod-Selector', 'string', 'Labels of the pods the policy applies to.'), ageColumn],
  row(policy, now) {
    return [
      text(policy, 'metadata', 'name'),
      formatLabelSelector(record(policy, 'spec', 'podSelector')),
      age(policy, now),
    ];
  },
};

/** The object holding the address, as resource[.group]/namespace/name; <none> for a free address. */
function parentRefOf(address: unknown): string {
  const parent = record(address, 'spec', 'parentRef');
  if (Object.keys(parent).length === 0) return '<none>';
  const group = text(parent, 'group');
  const resource = group ? `${text(parent, 'resource')}.${group}` : text(parent, 'resource');
  return `${resource.toLowerCase()}/${text(parent, 'namespace')}/${text(parent, 'name')}`;
}

export const ipAddressPrinter: Printer = {
  columns: [nameColumn, column('ParentRef', 'string', 'The object the address is allocated to.'), ageColumn],
  row(address, now) {
    return [text(address, 'metadata', 'name'), parentRefOf(address), age(address, now)];
  },
};

export const serviceCIDRPrinter: Printer = {
  columns: [nameColumn, column('CIDRs', 'string', 'The ranges service cluster IPs are allocated from.'), ageColumn],
  row(cidr, now) {
    return [text(cidr, 'metadata', 'name'), texts(cidr, 'spec', 'cidrs').join(','), age(cidr, now)];
  },
};
