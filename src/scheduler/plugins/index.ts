/**
 * The default profile: which plugins run at each extension point, in order, and the score weights
 * (kube-scheduler's defaults: TaintToleration 3, NodeAffinity 2, InterPodAffinity 2, PodTopologySpread 2,
 * NodeResourcesFit 1, NodeResourcesBalancedAllocation 1).
 */
import type { DefaultSpreadSelector } from '../default-spread-selector.ts';
import type { AnyPlugin } from '../framework.ts';
import * as balancedAllocation from './balanced-allocation.ts';
import * as defaultPreemption from './default-preemption.ts';
import * as interPodAffinity from './inter-pod-affinity.ts';
import * as nodeAffinity from './node-affinity.ts';
import * as nodeName from './node-name.ts';
import * as nodePorts from './node-ports.ts';
import * as nodeResourcesFit from './node-resources-fit.ts';
import * as nodeUnschedulable from './node-unschedulable.ts';
import * as podTopologySpread from './pod-topology-spread.ts';
import * as taintToleration from './taint-toleration.ts';
import * as volumeBinding from './volume-binding.ts';

export interface PluginFactory {
  name: string;
  create(args?: Record<string, unknown>): AnyPlugin;
}

/** Every known plugin, in the default filter order. Later plugins append here. */
export const registry: PluginFactory[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  volumeBinding,
  podTopologySpread,
  interPodAffinity,
  balancedAllocation,
];

export const defaultScoreWeights: Record<string, number> = {
  TaintToleration: 3,
  NodeAffinity: 2,
  InterPodAffinity: 2,
  PodTopologySpread: 2,
  NodeResourcesFit: 1,
  NodeResourcesBalancedAllocation: 1,
};

export interface Profile {
  schedulerName: string;
  plugins: AnyPlugin[];
  weights: Record<string, number>;
  /** kube-scheduler's percentageOfNodesToScore; 0 means adaptive. */
  percentageOfNodesToScore: number;
}

export interface ProfileDependencies {
  /** PodDisruptionBudgets for preemption; none when omitted. */
  budgets?: () => defaultPreemption.DisruptionBudget[];
  /** Claims, volumes and classes for VolumeBinding; without them it checks nothing (every pod Skips it). */
  volumes?: volumeBinding.VolumeAccess;
  /** What selects a pod, for PodTopologySpread's default constraints; without it none apply. */
  defaultSpreadSelector?: DefaultSpreadSelector;
}

/** pluginConfig args by plugin name, as the configuration file gives them. */
export type PluginArgs = Record<string, Record<string, unknown> | undefined>;

/**
 * A profile with every registered plugin (minus `disabled`) plus DefaultPreemption at PostFilter, each
 * created with its configured args and the scheduler's informer-backed dependencies.
 */
export function defaultProfile(
  schedulerName = 'default-scheduler',
  dependencies: ProfileDependencies = {},
  disabled: readonly string[] = [],
  configured: PluginArgs = {},
): Profile {
  const args: PluginArgs = {
    ...configured,
    [volumeBinding.name]: { volumes: dependencies.volumes },
    [podTopologySpread.name]: {
      ...configured[podTopologySpread.name],
      defaultSelector: dependencies.defaultSpreadSelector,
    },
  };
  const plugins: AnyPlugin[] = registry.filter((f) => !disabled.includes(f.name)).map((f) => f.create(args[f.name]));
  if (!disabled.includes(defaultPreemption.name)) {
    const filters = plugins.slice();
    const preemption: Parameters<typeof defaultPreemption.create>[0] = { plugins: () => filters };
    if (dependencies.budgets) preemption.budgets = dependencies.budgets;
    plugins.push(defaultPreemption.create(preemption));
  }
  return { schedulerName, plugins, weights: { ...defaultScoreWeights }, percentageOfNodesToScore: 0 };
}
