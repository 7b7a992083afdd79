import { describe, expect, it } from 'vitest';
import type { AnyPlugin, CycleContext, PluginStatus } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import { newCycleContext } from '../schedule-one.ts';
import { node, pod, snapshot } from '../testing/builders.ts';
import * as nodeAffinity from './node-affinity.ts';
import * as nodeName from './node-name.ts';
import * as nodePorts from './node-ports.ts';
import * as nodeResourcesFit from './node-resources-fit.ts';
import * as nodeUnschedulable from './node-unschedulable.ts';
import * as taintToleration from './taint-toleration.ts';

function runFilter(
  factory: { create(): AnyPlugin },
  p: ReturnType<typeof pod>,
  n: ReturnType<typeof node>,
  placed: ReturnType<typeof pod>[] = [],
) {
  const snap = snapshot([n], { [n.metadata.name as string]: placed });
  const context: CycleContext = newCycleContext(snap, p);
  const plugin = factory.create();
  plugin.preFilter?.(context, p);
  return plugin.filter?.(context, p, snap.infos[0] as NodeInfo) as PluginStatus;
}

describe('NodeName', () => {
  it('admits only the named node', () => {
    expect(runFilter(nodeName, pod({ nodeName: 'a' }), node({ name: 'a' })).code).toBe('Success');
    expect(runFilter(nodeName, pod({ nodeName: 'a' }), node({ name: 'b' }))).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ["node(s) didn't match the requested node name"],
    });
  });
});

describe('NodeUnschedulable', () => {
  it('rejects cordoned nodes unless the pod tolerates the unschedulable taint', () => {
    expect(runFilter(nodeUnschedulable, pod(), node({ unschedulable: true })).reasons).toEqual([
      'node(s) were unschedulable',
    ]);
    const tolerant = pod({
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(runFilter(nodeUnschedulable, tolerant, node({ unschedulable: true })).code).toBe('Success');
  });
});

describe('TaintToleration', () => {
  const tainted = node({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  it.each([
    ['no toleration', [], 'UnschedulableAndUnresolvable'],
    ['Equal with the value', [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], 'Success'],
    [
      'Equal with another value',
      [{ key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }],
      'UnschedulableAndUnresolvable',
    ],
    ['Exists on the key, any effect', [{ key: 'dedicated', operator: 'Exists' }], 'Success'],
    ['Exists with empty key tolerates all', [{ operator: 'Exists' }], 'Success'],
    ['wrong effect', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }], 'UnschedulableAndUnresolvable'],
  ] as const)('%s', (_name, tolerations, code) => {
    expect(runFilter(taintToleration, pod({ tolerations: [...tolerations] as never }), tainted).code).toBe(code);
  });
  it('names the taint in the reason', () => {
    expect(runFilter(taintToleration, pod(), tainted).reasons).toEqual([
      'node(s) had untolerated taint {dedicated: gpu}',
    ]);
  });
  it('ignores PreferNoSchedule in the filter', () => {
    expect(runFilter(taintToleration, pod(), node({ taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })).code).toBe(
      'Success',
    );
  });
});

describe('NodeAffinity', () => {
  const zoned = node({ labels: { 'topology.kubernetes.io/zone': 'zone-a', disk: 'ssd', cores: '8' } });
  it.each([
    ['nodeSelector match', { nodeSelector: { disk: 'ssd' } }, 'Success'],
    ['nodeSelector mismatch', { nodeSelector: { disk: 'hdd' } }, 'UnschedulableAndUnresolvable'],
    [
      'In',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a', 'zone-b'] },
                  ],
                },
              ],
            },
          },
        },
      },
      'Success',
    ],
    [
      'NotIn',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['zone-a'] }] },
              ],
            },
          },
        },
      },
      'UnschedulableAndUnresolvable',
    ],
    [
      'Gt',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }],
            },
          },
        },
      },
      'Success',
    ],
    [
      'terms are ORed',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'x', operator: 'Exists' }] },
                { matchExpressions: [{ key: 'disk', operator: 'Exists' }] },
              ],
            },
          },
        },
      },
      'Success',
    ],
    [
      'matchFields on the name',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['other'] }] }],
            },
          },
        },
      },
      'UnschedulableAndUnresolvable',
    ],
  ] as const)('%s', (_name, spec, code) => {
    const result = runFilter(nodeAffinity, pod(spec as never), zoned);
    expect(result.code).toBe(code);
    if (code !== 'Success') expect(result.reasons).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
  });
});

describe('NodePorts', () => {
  const withPort = (hostPort: number, hostIP?: string) =>
    pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, ...(hostIP ? { hostIP } : {}) }] }] });
  it('rejects a host port already used on the node', () => {
    expect(runFilter(nodePorts, withPort(8080), node(), [withPort(8080)]).reasons).toEqual([
      "node(s) didn't have free ports for the requested pod ports",
    ]);
  });
  it('allows the same port on different host IPs, but not against the wildcard', () => {
    expect(runFilter(nodePorts, withPort(8080, '10.0.0.1'), node(), [withPort(8080, '10.0.0.2')]).code).toBe('Success');
    expect(runFilter(nodePorts, withPort(8080, '10.0.0.1'), node(), [withPort(8080)]).code).toBe('Unschedulable');
  });
});

describe('NodeResourcesFit', () => {
  it('reports each insufficient resource', () => {
    const result = runFilter(nodeResourcesFit, pod({ cpu: '3', memory: '1Gi' }), node({ cpu: '4', memory: '2Gi' }), [
      pod({ cpu: '2', memory: '1536Mi' }),
    ]);
    expect(result).toMatchObject({ code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] });
  });
  it('counts pods against allocatable pods', () => {
    expect(runFilter(nodeResourcesFit, pod(), node({ pods: '1' }), [pod()]).reasons).toEqual(['Too many pods']);
  });
  it('counts init containers as the peak, not the sum', () => {
    const p = pod({ cpu: '1', initContainers: [{ name: 'init', resources: { requests: { cpu: '3' } } }] });
    expect(runFilter(nodeResourcesFit, p, node({ cpu: '3' })).code).toBe('Success');
    expect(runFilter(nodeResourcesFit, p, node({ cpu: '2' })).reasons).toEqual(['Insufficient cpu']);
  });
  it('checks ephemeral-storage against what the node has left', () => {
    const p = pod({ containers: [{ name: 'c', resources: { requests: { 'ephemeral-storage': '6Gi' } } }] });
    const disk = node({ extra: { 'ephemeral-storage': '10Gi' } });
    expect(runFilter(nodeResourcesFit, p, disk).code).toBe('Success');
    expect(runFilter(nodeResourcesFit, p, disk, [p]).reasons).toEqual(['Insufficient ephemeral-storage']);
  });
  it('adds pod overhead, and counts sidecars (restartable init containers) for the whole life of the pod', () => {
    const withOverhead = pod({ cpu: '1', overhead: { cpu: '500m' } });
    expect(runFilter(nodeResourcesFit, withOverhead, node({ cpu: '1500m' })).code).toBe('Success');
    expect(runFilter(nodeResourcesFit, withOverhead, node({ cpu: '1400m' })).reasons).toEqual(['Insufficient cpu']);
    // 1 cpu of containers + a 1-cpu sidecar: 2 cpus, though the plain init container (1.5) alone would fit.
    const sidecar = pod({
      cpu: '1',
      initContainers: [
        { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } },
        { name: 'setup', resources: { requests: { cpu: '500m' } } },
      ],
    });
    expect(runFilter(nodeResourcesFit, sidecar, node({ cpu: '2' })).code).toBe('Success');
    expect(runFilter(nodeResourcesFit, sidecar, node({ cpu: '1900m' })).reasons).toEqual(['Insufficient cpu']);
  });
  it('checks extended resources', () => {
    const p = pod({ containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '1' } } }] });
    expect(runFilter(nodeResourcesFit, p, node()).reasons).toEqual(['Insufficient example.com/gpu']);
    expect(runFilter(nodeResourcesFit, p, node({ extra: { 'example.com/gpu': '2' } })).code).toBe('Success');
  });
  it('does not check what the pod does not request, even on an overcommitted node', () => {
    const full = node({ cpu: '1', memory: '1Gi' });
    const placed = [pod({ cpu: '2', memory: '2Gi' })];
    expect(runFilter(nodeResourcesFit, pod(), full, placed).code).toBe('Success');
    expect(runFilter(nodeResourcesFit, pod({ memory: '1Mi' }), full, placed).reasons).toEqual(['Insufficient memory']);
  });
  it('hands out one shared, frozen status per distinct shortfall', () => {
    const a = runFilter(nodeResourcesFit, pod({ cpu: '3' }), node({ cpu: '2' }));
    const b = runFilter(nodeResourcesFit, pod({ cpu: '5' }), node({ cpu: '4' }));
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toMatchObject({ plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] });
    expect(runFilter(nodeResourcesFit, pod({ cpu: '3', memory: '32Gi' }), node({ cpu: '2' }))).not.toBe(a);
  });
});
