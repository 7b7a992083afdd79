import { describe, expect, it } from 'vitest';
import {
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  resourceQuotaPrinter,
  runtimeClassPrinter,
} from './policy.ts';
import { cells, object } from './testing.ts';

describe('policy printers', () => {
  it('splits quota items into Request and Limit, sorted by name', () => {
    const quota = object('ResourceQuota', {
      status: {
        hard: { pods: '10', 'limits.memory': '2Gi', 'requests.cpu': '1', 'limits.cpu': '2' },
        used: { pods: '3', 'requests.cpu': '500m', 'limits.cpu': '1' },
      },
    });
    expect(cells(resourceQuotaPrinter, quota)).toMatchObject({
      Request: 'pods: 3/10, requests.cpu: 500m/1',
      Limit: 'limits.cpu: 1/2, limits.memory: 0/2Gi',
    });
  });

  it('prints N/A for an unset PDB bound, numbers and percentages as given', () => {
    const budget = object('PodDisruptionBudget', { spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } });
    expect(cells(podDisruptionBudgetPrinter, budget)).toMatchObject({
      'Min Available': '2',
      'Max Unavailable': 'N/A',
      'Allowed Disruptions': 1,
    });
    const percent = object('PodDisruptionBudget', { spec: { maxUnavailable: '25%' } });
    expect(cells(podDisruptionBudgetPrinter, percent)).toMatchObject({
      'Min Available': 'N/A',
      'Max Unavailable': '25%',
    });
  });

  it('prints priority classes, runtime classes and leases', () => {
    const priorityClass = object('PriorityClass', { value: 1000, globalDefault: true, preemptionPolicy: 'Never' });
    expect(cells(priorityClassPrinter, priorityClass)).toMatchObject({
      Value: 1000,
      'Global-Default': true,
      PreemptionPolicy: 'Never',
    });
    expect(cells(priorityClassPrinter, object('PriorityClass'))).toMatchObject({
      'Global-Default': false,
      PreemptionPolicy: 'PreemptLowerPriority',
    });
    expect(cells(runtimeClassPrinter, object('RuntimeClass', { handler: 'runc' })).Handler).toBe('runc');
    expect(cells(leasePrinter, object('Lease', { spec: { holderIdentity: 'node-1' } })).Holder).toBe('node-1');
    expect(cells(leasePrinter, object('Lease')).Holder).toBe('');
  });
});
