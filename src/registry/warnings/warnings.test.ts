import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types/meta.ts';
import { admin, newTestRegistry } from '../testing/test-registry.ts';
import type { RequestContext } from '../types.ts';
import { deprecatedNodeLabelWarnings } from './deprecated-node-labels.ts';
import { duplicateEnvWarnings } from './duplicate-env.ts';
import { duplicatePortWarnings } from './duplicate-ports.ts';
import { finalizerNameWarnings } from './finalizer-names.ts';

const p = 'spec.template.spec.containers[0]';

describe('duplicate env names', () => {
  it.each([
    [
      'a plain repeat',
      [
        { name: 'X', value: 'a' },
        { name: 'X', value: 'b' },
      ],
      [1],
    ],
    [
      'a repeat that only references itself',
      [
        { name: 'X', value: 'a' },
        { name: 'X', value: '$(X)' },
      ],
      [1],
    ],
    [
      'a repeat from valueFrom',
      [
        { name: 'X', value: 'a' },
        { name: 'X', valueFrom: { fieldRef: {} } },
      ],
      [1],
    ],
    ['a repeat without a value', [{ name: 'X', value: 'a' }, { name: 'X' }], [1]],
    [
      'a repeat that builds on the earlier value',
      [
        { name: 'X', value: 'a' },
        { name: 'X', value: '$(X)-b' },
      ],
      [],
    ],
    ['distinct names', [{ name: 'X' }, { name: 'Y' }], []],
    ['every later repeat', [{ name: 'X' }, { name: 'Y' }, { name: 'X' }, { name: 'X' }], [2, 3]],
  ])('%s', (_, env, flagged) => {
    const out: string[] = [];
    duplicateEnvWarnings({ env }, () => p, out);
    expect(out).toEqual(
      flagged.map((i) => `${p}.env[${i}]: hides previous definition of "X", which may be dropped when using apply`),
    );
  });
});

describe('duplicate container ports', () => {
  const warnings = (...ports: object[][]) => {
    const out: string[] = [];
    const containers = ports.map((list, index) => ({ list: 'containers', index, container: { ports: list } }));
    duplicatePortWarnings(containers, 'spec', out);
    return out;
  };
  it.each([
    ['the same port twice', [[{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }]], 'duplicate'],
    ['the same port in two containers', [[{ containerPort: 80 }], [{ containerPort: 80 }]], 'duplicate'],
    ['one with a host port', [[{ containerPort: 80 }], [{ containerPort: 80, hostPort: 8080 }]], 'overlapping'],
    [
      'the same host port, one with a host IP',
      [[{ containerPort: 80, hostPort: 8080 }], [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }]],
      'dangerously ambiguous',
    ],
  ])('%s', (_, ports, problem) => {
    const found = warnings(...ports);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      new RegExp(
        `^spec\\.containers\\[\\d\\]\\.ports\\[\\d\\]: ${problem} port definition with spec\\.containers\\[0\\]\\.ports\\[0\\]$`,
      ),
    );
  });
  it.each([
    [
      'other protocols',
      [
        [
          { containerPort: 53, protocol: 'TCP' },
          { containerPort: 53, protocol: 'UDP' },
        ],
      ],
    ],
    ['different host ports', [[{ containerPort: 80, hostPort: 1 }], [{ containerPort: 80, hostPort: 2 }]]],
    ['different ports', [[{ containerPort: 80 }, { containerPort: 81 }]]],
  ])('nothing for %s', (_, ports) => {
    expect(warnings(...ports)).toEqual([]);
  });
});

describe('deprecated node labels', () => {
  it('names each use in nodeSelector, node affinity and topology spread constraints', () => {
    const term = { matchExpressions: [{ key: 'kubernetes.io/os' }, { key: 'failure-domain.beta.kubernetes.io/zone' }] };
    const spec = {
      nodeSelector: { 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: { matchExpressions: [{ key: 'beta.kubernetes.io/instance-type' }] } },
          ],
        },
      },
      topologySpreadConstraints: [
        { topologyKey: 'failure-domain.beta.kubernetes.io/region', labelSelector: {} },
        { topologyKey: 'topology.kubernetes.io/zone' },
      ],
    };
    const out: string[] = [];
    deprecatedNodeLabelWarnings(spec, 'spec', out);
    expect(out).toEqual([
      'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: beta.kubernetes.io/instance-type is deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
      'spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use "topology.kubernetes.io/region" instead',
      'spec.topologySpreadConstraints[1].labelSelector: a null labelSelector results in matching no pod',
    ]);
  });
});

describe('finalizer names of custom resources', () => {
  const object = (finalizers: string[]) => ({ metadata: { finalizers } }) as KubeObject;
  const warning = (f: string) =>
    `metadata.finalizers: "${f}": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`;
  it('warns about newly added names without a path, sorted, except the standard ones', () => {
    expect(
      finalizerNameWarnings(
        object(['z.example.com', 'example.com/ok', 'orphan', 'foregroundDeletion', 'a']),
        undefined,
      ),
    ).toEqual([warning('a'), warning('z.example.com')]);
  });
  it('says nothing about names the object already had', () => {
    expect(finalizerNameWarnings(object(['a', 'b']), object(['a']))).toEqual([warning('b')]);
  });
});

describe('warnings on writes', () => {
  const context = (): RequestContext => ({ ...admin, warnings: [] });
  const deployment = (env: object[], replicas = 1) => ({
    metadata: { name: 'd' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx', env }] } },
    },
  });
  const twice = [
    { name: 'X', value: '1' },
    { name: 'X', value: '2' },
  ];
  const hides = `${p}.env[1]: hides previous definition of "X", which may be dropped when using apply`;

  it('a Deployment is checked on create, on a spec change and on dry runs, not on a metadata-only update', async () => {
    const t = await newTestRegistry();
    const def = t.def('deployments', 'apps');
    const created = context();
    await t.registry.create(def, 'default', deployment(twice), created);
    expect(created.warnings).toEqual([hides]);
    const dry = { ...context(), dryRun: true };
    await t.registry.create(def, 'default', { ...deployment(twice), metadata: { name: 'dry' } }, dry);
    expect(dry.warnings).toEqual([hides]);

    const current = (await t.registry.get(def, 'default', 'd', {}, admin)) as KubeObject;
    const labelled = context();
    await t.registry.update(
      def,
      'default',
      'd',
      { ...current, metadata: { ...current.metadata, labels: { team: 'a' } } },
      labelled,
    );
    expect(labelled.warnings).toEqual([]);
    const scaled = context();
    await t.registry.update(def, 'default', 'd', { ...deployment(twice, 2) }, scaled);
    expect(scaled.warnings).toEqual([hides]);
  });

  it('a Pod is checked with its own paths; a ConfigMap is never', async () => {
    const t = await newTestRegistry();
    const pod = context();
    await t.registry.create(
      t.def('pods'),
      'default',
      {
        metadata: { name: 'p' },
        spec: { nodeSelector: { 'beta.kubernetes.io/arch': 'amd64' }, containers: [{ name: 'c', image: 'x' }] },
      },
      pod,
    );
    expect(pod.warnings).toEqual([
      'spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
    ]);
    const cm = context();
    await t.registry.create(
      t.def('configmaps'),
      'default',
      { metadata: { name: 'c', finalizers: ['example.com/x'] } },
      cm,
    );
    expect(cm.warnings).toEqual([]);
  });

  it('a CronJob names the template below its jobTemplate', async () => {
    const t = await newTestRegistry();
    const cron = context();
    const template = deployment(twice).spec.template;
    await t.registry.create(
      t.def('cronjobs', 'batch'),
      'default',
      {
        metadata: { name: 'cj' },
        spec: {
          schedule: '* * * * *',
          jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } } },
        },
      },
      cron,
    );
    expect(cron.warnings).toEqual([hides.replace('spec.template.', 'spec.jobTemplate.spec.template.')]);
  });

  it('a custom resource is checked for newly added unqualified finalizers', async () => {
    const t = await newTestRegistry();
    await t.registry.create(
      t.def('customresourcedefinitions', 'apiextensions.k8s.io'),
      undefined,
      {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
      admin,
    );
    const def = t.def('widgets', 'example.com');
    const created = context();
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers: ['cleanup'] } };
    await t.registry.create(def, 'default', widget, created);
    expect(created.warnings).toEqual([
      'metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers',
    ]);
    const updated = context();
    await t.registry.patch(
      def,
      'default',
      'w',
      'merge',
      { metadata: { finalizers: ['cleanup', 'example.com/ok'] } },
      updated,
    );
    expect(updated.warnings).toEqual([]);
  });
});
