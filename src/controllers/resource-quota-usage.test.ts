import { describe, expect, it } from 'vitest';
import type { Pod } from '../nodes/api-types.ts';
import {
  addQuantity,
  countedResources,
  formatQuantity,
  podConstraintsViolation,
  type ResourceQuota,
  usedBy,
} from './resource-quota-usage.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

function pod(
  name: string,
  o: { cpu?: string; memory?: string; phase?: string; activeDeadlineSeconds?: number } = {},
): Pod {
  const resources =
    o.cpu || o.memory
      ? { requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } }
      : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns' },
    spec: {
      containers: [{ name: 'app', ...(resources ? { resources } : {}) }],
      ...(o.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: o.activeDeadlineSeconds } : {}),
    },
    ...(o.phase ? { status: { phase: o.phase as 'Running' } } : {}),
  };
}

const quota = (hard: Record<string, string>, scopes?: string[]): ResourceQuota => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'q', namespace: 'ns' },
  spec: { hard, ...(scopes ? { scopes } : {}) },
});

describe('quota quantities', () => {
  it('prints sums in the canonical form of the first operand', () => {
    expect(addQuantity('500m', '500m')).toBe('1');
    expect(addQuantity('252Mi', '772Mi')).toBe('1Gi');
    expect(addQuantity('0', '100Mi')).toBe('100Mi');
    expect(addQuantity('1', '500m')).toBe('1500m');
    expect(formatQuantity(2_000_000, false)).toBe('2k');
    expect(formatQuantity(1500_000, true)).toBe('1500');
  });
});

describe('usedBy', () => {
  it('sums requests of non-terminal pods and reports zeros for every tracked name', () => {
    const q = quota({ pods: '5', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', configmaps: '3' });
    const used = usedBy(
      q,
      '',
      'pods',
      [
        pod('a', { cpu: '250m', memory: '100Mi' }),
        pod('b', { cpu: '250m' }),
        pod('done', { cpu: '1', phase: 'Succeeded' }),
      ],
      now,
    );
    expect(used).toEqual({ pods: '2', 'requests.cpu': '500m', 'requests.memory': '100Mi', 'limits.cpu': '0' });
  });

  it('counts only pods a scope selects, and nothing else under a scoped quota', () => {
    const pods = [pod('best'), pod('burst', { cpu: '1' }), pod('job', { activeDeadlineSeconds: 10 })];
    expect(usedBy(quota({ pods: '9' }, ['BestEffort']), '', 'pods', pods, now)).toEqual({ pods: '2' });
    expect(usedBy(quota({ pods: '9' }, ['NotBestEffort']), '', 'pods', pods, now)).toEqual({ pods: '1' });
    expect(usedBy(quota({ pods: '9' }, ['Terminating']), '', 'pods', pods, now)).toEqual({ pods: '1' });
    expect(usedBy(quota({ pods: '9' }, ['NotTerminating']), '', 'pods', pods, now)).toEqual({ pods: '2' });
  });

  it('charges node ports and load balancers of services', () => {
    const svc = (type: string, ports: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: type },
      spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })) },
    });
    const q = quota({ services: '9', 'services.nodeports': '9', 'services.loadbalancers': '9' });
    expect(usedBy(q, '', 'services', [svc('ClusterIP', 1), svc('NodePort', 2), svc('LoadBalancer', 1)], now)).toEqual({
      services: '3',
      'services.nodeports': '3',
      'services.loadbalancers': '1',
    });
  });

  it('reads count/<resource>.<group> and legacy object-count names', () => {
    expect(countedResources(['count/replicasets.apps', 'secrets', 'count/pods', 'requests.cpu'])).toEqual([
      { group: '', plural: 'secrets' },
      { group: 'apps', plural: 'replicasets' },
      { group: '', plural: 'pods' },
    ]);
  });
});

describe('podConstraintsViolation', () => {
  it("names each missing resource and container as kube's pod evaluator does", () => {
    expect(podConstraintsViolation(pod('p'), ['limits.cpu', 'requests.memory', 'pods'])).toBe(
      'must specify limits.cpu for: app; requests.memory for: app',
    );
    expect(podConstraintsViolation(pod('p', { cpu: '1' }), ['requests.cpu', 'pods'])).toBeUndefined();
  });
});
