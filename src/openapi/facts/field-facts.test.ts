import { describe, expect, it } from 'vitest';
import table from './field-facts.json' with { type: 'json' };
import { fieldFacts, patchMetaFor } from './field-facts.ts';

describe('field facts table', () => {
  it('has the shape the loader casts it to', () => {
    const known = new Set(['ps', 'pk', 'lt', 'lk', 'mt', 'enum', 'q']);
    for (const [definition, fields] of Object.entries(table.definitions)) {
      expect(definition).toMatch(/^io\.k8s\./);
      for (const entry of Object.values(fields as Record<string, Record<string, unknown>>)) {
        for (const key of Object.keys(entry)) expect(known, `${definition}: ${key}`).toContain(key);
      }
    }
  });

  it.each([
    [
      'io.k8s.api.core.v1.PodSpec',
      'containers',
      { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ],
    [
      'io.k8s.api.core.v1.PodSpec',
      'volumes',
      { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ],
    ['io.k8s.api.core.v1.PodSpec', 'tolerations', { listType: 'atomic' }],
    [
      'io.k8s.api.core.v1.PodSpec',
      'hostAliases',
      { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
    ],
    [
      'io.k8s.api.core.v1.PodSpec',
      'topologySpreadConstraints',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'topologyKey',
        listType: 'map',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      },
    ],
    [
      'io.k8s.api.core.v1.Container',
      'ports',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'containerPort',
        listType: 'map',
        listMapKeys: ['containerPort', 'protocol'],
      },
    ],
    [
      'io.k8s.api.core.v1.Container',
      'env',
      { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ],
    [
      'io.k8s.api.core.v1.Container',
      'volumeMounts',
      { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
    ],
    [
      'io.k8s.api.core.v1.ServiceSpec',
      'ports',
      { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] },
    ],
    ['io.k8s.api.apps.v1.DeploymentSpec', 'strategy', { patchStrategy: 'retainKeys' }],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers', { patchStrategy: 'merge', listType: 'set' }],
    [
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'ownerReferences',
      { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
    ],
    [
      'io.k8s.api.core.v1.PodStatus',
      'conditions',
      { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    ],
    ['io.k8s.api.core.v1.ConfigMap', 'data', {}],
  ])('%s.%s', (definition, field, expected) => {
    expect(patchMetaFor(definition, field)).toEqual(expected);
  });

  it('knows the enums Kubernetes validates and which fields are Quantities', () => {
    expect(fieldFacts('io.k8s.api.core.v1.PodSpec', 'restartPolicy')?.enum).toEqual(['Always', 'Never', 'OnFailure']);
    expect(fieldFacts('io.k8s.api.core.v1.PodSpec', 'dnsPolicy')?.enum).toContain('ClusterFirst');
    expect(fieldFacts('io.k8s.api.core.v1.Container', 'imagePullPolicy')?.enum).toEqual([
      'Always',
      'IfNotPresent',
      'Never',
    ]);
    expect(fieldFacts('io.k8s.api.core.v1.ServiceSpec', 'type')?.enum).toEqual([
      'ClusterIP',
      'ExternalName',
      'LoadBalancer',
      'NodePort',
    ]);
    expect(fieldFacts('io.k8s.api.core.v1.ContainerPort', 'protocol')?.enum).toEqual(['SCTP', 'TCP', 'UDP']);
    expect(fieldFacts('io.k8s.api.core.v1.ResourceRequirements', 'limits')?.quantity).toBe('map');
    expect(fieldFacts('io.k8s.api.core.v1.EmptyDirVolumeSource', 'sizeLimit')?.quantity).toBe('value');
    expect(fieldFacts('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', '')?.mapType).toBe('atomic');
  });
});
