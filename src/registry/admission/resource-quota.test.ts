import { describe, expect, it } from 'vitest';
import type { ResourceQuota } from '../../controllers/resource-quota-usage.ts';
import type { KubeObject } from '../../types/meta.ts';
import type { ResourceDef } from '../types.ts';
import { chargeFor } from './resource-quota.ts';

const podDef = { group: '', plural: 'pods', namespaced: true } as ResourceDef;
const configMapDef = { group: '', plural: 'configmaps', namespaced: true } as ResourceDef;
const now = 0;

const quota = (hard: Record<string, string>, used?: Record<string, string>): ResourceQuota => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'test-quota', namespace: 'ns' },
  spec: { hard },
  status: { hard, ...(used ? { used } : {}) },
});

const pod = (name: string, cpu?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
  spec: { containers: [{ name: 'pause', ...(cpu ? { resources: { requests: { cpu }, limits: { cpu } } } : {}) }] },
});

describe('chargeFor', () => {
  it('returns the new status.used when the pod fits', () => {
    const q = quota({ pods: '2', 'requests.cpu': '1' }, { pods: '1', 'requests.cpu': '500m' });
    expect(chargeFor(podDef, pod('a', '250m'), q, now)).toEqual({ pods: '2', 'requests.cpu': '750m' });
  });

  it('refuses a create that exceeds the quota, naming only what is exceeded', () => {
    const q = quota({ pods: '2', 'requests.cpu': '1' }, { pods: '2', 'requests.cpu': '500m' });
    expect(() => chargeFor(podDef, pod('fail-pod', '250m'), q, now)).toThrowError(
      'pods "fail-pod" is forbidden: exceeded quota: test-quota, requested: pods=1, used: pods=2, limited: pods=2',
    );
  });

  it('refuses a pod without a request for a constrained resource', () => {
    const q = quota({ 'requests.cpu': '1' }, { 'requests.cpu': '0' });
    expect(() => chargeFor(podDef, pod('bare'), q, now)).toThrowError(
      'pods "bare" is forbidden: failed quota: test-quota: must specify requests.cpu for: pause',
    );
  });

  it('refuses while the quota has not counted a constrained resource yet', () => {
    expect(() => chargeFor(configMapDef, pod('c'), quota({ configmaps: '1' }, {}), now)).toThrowError(
      'status unknown for quota: test-quota, resources: configmaps',
    );
  });

  it('ignores quotas that constrain nothing the object charges', () => {
    expect(chargeFor(configMapDef, pod('c'), quota({ pods: '1' }, { pods: '1' }), now)).toBeUndefined();
  });
});
