import { describe, expect, it } from 'vitest';
import { profilesFromConfiguration } from './config.ts';
import { newCycleContext, scheduleOne } from './schedule-one.ts';
import { node, pod, snapshot } from './testing/builders.ts';

/** A one-profile configuration with pluginConfig args for `plugin`; later lines of `args` carry their indent. */
const withArgs = (plugin: string, args: string) =>
  `profiles:\n- pluginConfig:\n  - name: ${plugin}\n    args:\n      ${args}\n`;

describe('KubeSchedulerConfiguration', () => {
  it('builds one profile per entry with plugins disabled and weights set', () => {
    const profiles = profilesFromConfiguration(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
profiles:
- schedulerName: default-scheduler
- schedulerName: no-spread
  plugins:
    multiPoint:
      disabled:
      - name: PodTopologySpread
    score:
      enabled:
      - name: NodeResourcesBalancedAllocation
        weight: 5
`);
    expect(profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'no-spread']);
    expect(profiles[0]?.plugins.map((p) => p.name)).toContain('PodTopologySpread');
    expect(profiles[1]?.plugins.map((p) => p.name)).not.toContain('PodTopologySpread');
    expect(profiles[1]?.weights.NodeResourcesBalancedAllocation).toBe(5);
    expect(profiles[1]?.percentageOfNodesToScore).toBe(50);
  });

  it("disables everything with '*' and re-enables by name", () => {
    const [profile] = profilesFromConfiguration(`
kind: KubeSchedulerConfiguration
profiles:
- plugins:
    multiPoint:
      disabled: [{ name: '*' }]
      enabled: [{ name: NodeResourcesFit }]
`);
    expect(profile?.plugins.map((p) => p.name)).toEqual(['NodeResourcesFit']);
  });

  it('rejects unknown plugins', () => {
    expect(() =>
      profilesFromConfiguration('profiles: [{ plugins: { filter: { enabled: [{ name: Nope }] } } }]'),
    ).toThrow(/unknown plugin "Nope"/);
  });

  it('passes PodTopologySpread default constraints from pluginConfig to the plugin', () => {
    const app = { app: 'web' };
    const dependencies = { defaultSpreadSelector: () => ({ matchLabels: app }) };
    const listed = withArgs(
      'PodTopologySpread',
      `defaultingType: List
      defaultConstraints:
      - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule }`,
    );
    const [profile] = profilesFromConfiguration(listed, dependencies);
    const spread = profile?.plugins.find((p) => p.name === 'PodTopologySpread');
    const view = snapshot(
      ['zone-a', 'zone-b'].map((z) => node({ name: z, labels: { 'topology.kubernetes.io/zone': z } })),
      { 'zone-a': [pod({ labels: app })] },
    );
    const replica = pod({ labels: app });
    const context = newCycleContext(view, replica);
    expect(spread && 'preFilter' in spread && spread.preFilter?.(context, replica).code).toBe('Success');
    // With an empty list nothing is defaulted.
    const [none] = profilesFromConfiguration(withArgs('PodTopologySpread', 'defaultingType: List'), dependencies);
    const off = none?.plugins.find((p) => p.name === 'PodTopologySpread');
    expect(off && 'preFilter' in off && off.preFilter?.(newCycleContext(view, replica), replica).code).toBe('Skip');
  });

  it.each([
    [
      'defaults listed with the System type',
      'defaultConstraints: [{ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule }]',
      'profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
    ],
    [
      'an unknown defaulting type',
      'defaultingType: Sometimes',
      'profiles[0].pluginConfig[0].args.defaultingType: Unsupported value: "Sometimes": supported values: "System", "List"',
    ],
    [
      'a default constraint with a selector',
      'defaultingType: List\n      defaultConstraints: [{ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {} }]',
      'profiles[0].pluginConfig[0].args.defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod',
    ],
    [
      'a topology key that is no label key',
      'defaultingType: List\n      defaultConstraints: [{ maxSkew: 1, topologyKey: "a/b/c", whenUnsatisfiable: DoNotSchedule }]',
      'profiles[0].pluginConfig[0].args.defaultConstraints[0].topologyKey: Invalid value: "a/b/c": a qualified name must consist of',
    ],
    [
      'a zero maxSkew',
      'defaultingType: List\n      defaultConstraints: [{ maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule }]',
      'profiles[0].pluginConfig[0].args.defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)',
    ],
  ])('rejects PodTopologySpread args with %s', (_what, args, message) => {
    expect(() => profilesFromConfiguration(withArgs('PodTopologySpread', args))).toThrow(message);
  });

  it('rejects pluginConfig for an unknown plugin and a file that is not YAML', () => {
    expect(() => profilesFromConfiguration('profiles: [{ pluginConfig: [{ name: Nope, args: {} }] }]')).toThrow(
      'scheduler config: pluginConfig for unknown plugin "Nope"',
    );
    expect(() => profilesFromConfiguration('profiles: [')).toThrow(/^scheduler config: not valid YAML: /);
  });

  it('gives NodeResourcesFit the configured scoring strategy, so a profile can pack nodes', () => {
    const [packing] = profilesFromConfiguration(`
profiles:
- schedulerName: packing
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources: [{ name: cpu, weight: 1 }, { name: memory }]
`);
    const [spreading] = profilesFromConfiguration('profiles: [{}]');
    const nodes = [node({ name: 'busy', cpu: '4' }), node({ name: 'idle', cpu: '4' })];
    const view = () => snapshot(nodes, { busy: [pod({ cpu: '2', memory: '4Gi' })] });
    const cursor = { nextStartIndex: 0 };
    expect(packing && scheduleOne(packing, view(), pod({ cpu: '1' }), cursor)).toMatchObject({ node: 'busy' });
    expect(spreading && scheduleOne(spreading, view(), pod({ cpu: '1' }), cursor)).toMatchObject({ node: 'idle' });
  });

  it.each([
    [
      'an unknown strategy',
      'scoringStrategy: { type: Random }',
      'profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "Random": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    ],
    [
      'a weight above 100',
      'scoringStrategy: { type: LeastAllocated, resources: [{ name: cpu, weight: 101 }] }',
      'profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range [1, 100]',
    ],
    [
      'a ratio without a shape',
      'scoringStrategy: { type: RequestedToCapacityRatio }',
      'profiles[0].pluginConfig[0].args.scoringStrategy.shape: Required value: at least one point must be specified',
    ],
    [
      'a shape out of order',
      'scoringStrategy: { type: RequestedToCapacityRatio, requestedToCapacityRatio: { shape: [{ utilization: 50, score: 1 }, { utilization: 10, score: 11 }] } }',
      'profiles[0].pluginConfig[0].args.scoringStrategy.shape[1].utilization: Invalid value: 10: utilization values must be sorted in increasing order, profiles[0].pluginConfig[0].args.scoringStrategy.shape[1].score: Invalid value: 11: not in valid range [0, 10]',
    ],
  ])('rejects NodeResourcesFit args with %s', (_what, args, message) => {
    expect(() => profilesFromConfiguration(withArgs('NodeResourcesFit', args))).toThrow(message);
  });
});
