/**
 * The default profile: which plugins run at each extension point, in order, and the score weights
 * (kube-scheduler's defaults: TaintToleration 3, NodeAffinity 2, InterPodAffinity 2, PodTopologySpread 2,
 * NodeResourcesFit 1, NodeResourcesBalancedAllocation 1).
 */
import type { AnyPlugin } from '../framework.ts';
import * as balancedAllocation from './balanced-allocation.ts';
import * as nodeAffinity from './node-affinity.ts';
import * as nodeName from './node-name.ts';
import * as nodePorts from './node-ports.ts';
import * as nodeResourcesFit from './node-resources-fit.ts';
import * as nodeUnschedulable from './node-unschedulable.ts';
import * as taintToleration from './taint-toleration.ts';

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

export function defaultProfile(schedulerName = 'default-scheduler'): Profile {
  return {
    schedulerName,
    plugins: registry.map((f) => f.create()),
    weights: { ...defaultScoreWeights },
    percentageOfNodesToScore: 0,
  };
}
