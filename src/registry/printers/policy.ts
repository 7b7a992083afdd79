/**
 * Printers for quota and scheduling policy kinds: ResourceQuota, policy/v1 PodDisruptionBudget,
 * scheduling.k8s.io/v1 PriorityClass, node.k8s.io/v1 RuntimeClass, coordination.k8s.io/v1 Lease.
 */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { integer, optionalBoolean, optionalText, quantity, record, text } from './fields.ts';

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn,
    column('Request', 'string', 'Used out of hard limits for every quota item that is not a limits.* item.'),
    column('Limit', 'string', 'Used out of hard limits for the limits.* items.'),
    ageColumn,
  ],
  row(quota, now) {
    const hard = record(quota, 'status', 'hard');
    const used = record(quota, 'status', 'used');
    const requests: string[] = [];
    const limits: string[] = [];
    // Resource names sort as plain strings, and `limits.` items go to their own column.
    for (const resource of Object.keys(hard).sort()) {
      const entry = `${resource}: ${quantity(used, resource) ?? '0'}/${quantity(hard, resource) ?? '0'}`;
      (resource.startsWith('limits.') ? limits : requests).push(entry);
    }
    return [text(quota, 'metadata', 'name'), requests.join(', '), limits.join(', '), age(quota, now)];
  },
};

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'Pods that must stay available, as a count or percentage.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable, as a count or percentage.'),
    column('Allowed Disruptions', 'integer', 'Pods that may be evicted right now.'),
    ageColumn,
  ],
  row(budget, now) {
    return [
      text(budget, 'metadata', 'name'),
      quantity(budget, 'spec', 'minAvailable') ?? 'N/A',
      quantity(budget, 'spec', 'maxUnavailable') ?? 'N/A',
      integer(budget, 'status', 'disruptionsAllowed'),
      age(budget, now),
    ];
  },
};

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Value', 'integer', 'The priority pods of this class get.'),
    column('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    ageColumn,
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  row(priorityClass, now) {
    return [
      text(priorityClass, 'metadata', 'name'),
      integer(priorityClass, 'value'),
      optionalBoolean(priorityClass, 'globalDefault') === true,
      age(priorityClass, now),
      // Defaulted to PreemptLowerPriority on write.
      optionalText(priorityClass, 'preemptionPolicy') ?? 'PreemptLowerPriority',
    ];
  },
};

export const runtimeClassPrinter: Printer = {
  columns: [nameColumn, column('Handler', 'string', 'The CRI handler that runs pods of this class.'), ageColumn],
  row(runtimeClass, now) {
    return [text(runtimeClass, 'metadata', 'name'), text(runtimeClass, 'handler'), age(runtimeClass, now)];
  },
};

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'string', 'The identity currently holding the lease.'), ageColumn],
  row(lease, now) {
    return [text(lease, 'metadata', 'name'), text(lease, 'spec', 'holderIdentity'), age(lease, now)];
  },
};
