import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { builtinResources } from './resources.ts';
import { admin, newTestRegistry } from './testing/test-registry.ts';

const find = (group: string, version: string, plural: string) =>
  builtinResources.find((d) => d.group === group && d.version === version && d.plural === plural);

describe('the resource table', () => {
  it('has one entry per group/version/plural', () => {
    const keys = builtinResources.map((d) => `${d.group}/${d.version}/${d.plural}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    ['', 'v1', 'pods', 'pod', ['po'], ['all']],
    ['', 'v1', 'services', 'service', ['svc'], ['all']],
    ['', 'v1', 'endpoints', 'endpoints', ['ep'], undefined],
    ['', 'v1', 'limitranges', 'limitrange', ['limits'], undefined],
    ['', 'v1', 'resourcequotas', 'resourcequota', ['quota'], undefined],
    ['apps', 'v1', 'deployments', 'deployment', ['deploy'], ['all']],
    ['batch', 'v1', 'cronjobs', 'cronjob', ['cj'], ['all']],
    ['autoscaling', 'v1', 'horizontalpodautoscalers', 'horizontalpodautoscaler', ['hpa'], ['all']],
    ['networking.k8s.io', 'v1', 'networkpolicies', 'networkpolicy', ['netpol'], undefined],
    [
      'apiextensions.k8s.io',
      'v1',
      'customresourcedefinitions',
      'customresourcedefinition',
      ['crd', 'crds'],
      ['api-extensions'],
    ],
  ])(
    '%s/%s %s: singular %s, short names %j, categories %j',
    (group, version, plural, singular, shortNames, categories) => {
      const def = find(group, version, plural);
      expect(def?.singular).toBe(singular);
      expect(def?.shortNames).toEqual(shortNames);
      expect(def?.categories).toEqual(categories);
    },
  );

  it('names subresource kinds and groups', () => {
    const pods = find('', 'v1', 'pods');
    expect(pods?.subresources?.find((s) => s.name === 'eviction')).toMatchObject({
      kind: 'Eviction',
      group: 'policy',
      version: 'v1',
      verbs: ['create'],
    });
    expect(pods?.subresources?.find((s) => s.name === 'status')).toMatchObject({
      kind: 'Pod',
      verbs: ['get', 'patch', 'update'],
    });
    expect(find('apps', 'v1', 'deployments')?.subresources?.find((s) => s.name === 'scale')).toMatchObject({
      kind: 'Scale',
      group: 'autoscaling',
    });
    expect(find('', 'v1', 'serviceaccounts')?.subresources).toEqual([
      { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
    ]);
  });

  it('makes the review kinds create-only', () => {
    for (const plural of ['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews']) {
      expect(find('authorization.k8s.io', 'v1', plural)?.verbs).toEqual(['create']);
    }
    expect(find('authentication.k8s.io', 'v1', 'selfsubjectreviews')?.verbs).toEqual(['create']);
  });

  it('wires printers where the printers module has one', () => {
    expect(find('', 'v1', 'pods')?.printer?.columns.map((c) => c.name)).toContain('Status');
  });
});

describe('storage shared across versions', () => {
  it('events.k8s.io/v1 and core/v1 events are the same objects, converted', async () => {
    const t = await newTestRegistry();
    const modern = t.def('events', 'events.k8s.io');
    const created = await t.registry.create(
      modern,
      'default',
      {
        metadata: { name: 'e1' },
        eventTime: '2026-11-22T21:54:24.000000Z',
        regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
        note: 'Pulled image',
        reason: 'Pulled',
        reportingController: 'kubelet',
        reportingInstance: 'node-1',
        action: 'Pull',
        type: 'Normal',
        deprecatedCount: 2,
      },
      admin,
    );
    expect(created.object).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      note: 'Pulled image',
      regarding: { name: 'web' },
    });
    const core = (await t.registry.get(t.def('events'), 'default', 'e1', {}, admin)) as KubeObject;
    expect(core).toMatchObject({
      apiVersion: 'v1',
      message: 'Pulled image',
      involvedObject: { name: 'web' },
      reportingComponent: 'kubelet',
      count: 2,
    });
    expect(core.note).toBeUndefined();
    const selected = await t.registry.list(
      t.def('events'),
      'default',
      { fieldSelector: 'involvedObject.name=web,reason=Pulled' },
      admin,
    );
    expect(selected.items).toHaveLength(1);
    const listed = await t.registry.list(modern, 'default', {}, admin);
    expect(listed).toMatchObject({
      kind: 'EventList',
      apiVersion: 'events.k8s.io/v1',
      items: [{ note: 'Pulled image' }],
    });
  });

  it('autoscaling/v1 HPAs are stored as v2 and read back in either version', async () => {
    const t = await newTestRegistry();
    const v1 = t.def('horizontalpodautoscalers', 'autoscaling', 'v1');
    const spec = {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 70,
    };
    await t.registry.create(v1, 'default', { metadata: { name: 'h' }, spec }, admin);
    const v2 = (await t.registry.get(
      t.def('horizontalpodautoscalers', 'autoscaling', 'v2'),
      'default',
      'h',
      {},
      admin,
    )) as KubeObject;
    expect((v2.spec as { metrics: unknown }).metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    const back = (await t.registry.get(v1, 'default', 'h', {}, admin)) as KubeObject;
    expect(back).toMatchObject({ apiVersion: 'autoscaling/v1', spec });
  });
});

describe('seeding', () => {
  it('points the kubernetes endpoints at the configured apiserver', async () => {
    const t = await newTestRegistry({ apiserver: { host: '192.168.1.10', port: 7443 } });
    const ep = (await t.registry.get(t.def('endpoints'), 'default', 'kubernetes', {}, admin)) as KubeObject;
    expect(ep.subsets).toEqual([
      { addresses: [{ ip: '192.168.1.10' }], ports: [{ name: 'https', port: 7443, protocol: 'TCP' }] },
    ]);
    const svc = (await t.registry.get(t.def('services'), 'default', 'kubernetes', {}, admin)) as KubeObject;
    expect(svc.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect((svc.spec as { ports: unknown }).ports).toEqual([
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 7443 },
    ]);
    const slice = (await t.registry.get(
      t.def('endpointslices', 'discovery.k8s.io'),
      'default',
      'kubernetes',
      {},
      admin,
    )) as KubeObject;
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.168.1.10'] }],
      ports: [{ port: 7443 }],
    });
  });
});
