/**
 * An optional configuration file in the shape of KubeSchedulerConfiguration
 * (kubescheduler.config.k8s.io/v1): profiles with their schedulerName, plugins enabled or disabled per
 * extension point (or `multiPoint`), score weights, percentageOfNodesToScore, and pluginConfig args
 * (PodTopologySpread's default constraints, NodeResourcesFit's scoring strategy; plugin-args.ts). Only
 * the fields that change behaviour here are read; anything else is accepted and ignored, so a real file
 * loads.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { nodeResourcesFitArgs, podTopologySpreadArgs } from './plugin-args.ts';
import { defaultProfile, type PluginArgs, type Profile, type ProfileDependencies, registry } from './plugins/index.ts';
import { name as nodeResourcesFitName } from './plugins/node-resources-fit.ts';
import { name as podTopologySpreadName } from './plugins/pod-topology-spread.ts';

interface PluginRef {
  name: string;
  weight?: number;
}
interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}
interface ProfileConfig {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Record<string, PluginSet | undefined>;
  pluginConfig?: { name: string; args?: Record<string, unknown> }[];
}
interface SchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  percentageOfNodesToScore?: number;
  profiles?: ProfileConfig[];
}

const knownPlugins = new Set([...registry.map((p) => p.name), 'DefaultPreemption', 'PrioritySort', 'DefaultBinder']);

export function profilesFromConfiguration(text: string, dependencies: ProfileDependencies = {}): Profile[] {
  let config: SchedulerConfiguration;
  try {
    config = (load(text) ?? {}) as SchedulerConfiguration;
  } catch (err) {
    throw new Error(
      `scheduler config: not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
  if (config.kind && config.kind !== 'KubeSchedulerConfiguration') {
    throw new Error(`scheduler config: kind must be KubeSchedulerConfiguration, got ${config.kind}`);
  }
  const profiles = config.profiles?.length ? config.profiles : [{}];
  return profiles.map((p, index) => {
    const disabled = new Set<string>();
    const weights: Record<string, number> = {};
    for (const set of Object.values(p.plugins ?? {})) {
      for (const d of set?.disabled ?? []) {
        if (d.name === '*') for (const name of knownPlugins) disabled.add(name);
        else disabled.add(d.name);
      }
    }
    for (const set of Object.values(p.plugins ?? {})) {
      for (const e of set?.enabled ?? []) {
        if (!knownPlugins.has(e.name)) throw new Error(`scheduler config: unknown plugin "${e.name}"`);
        disabled.delete(e.name);
        if (e.weight !== undefined) weights[e.name] = e.weight;
      }
    }
    const args: PluginArgs = {};
    (p.pluginConfig ?? []).forEach(({ name, args: raw }, i) => {
      if (!knownPlugins.has(name)) throw new Error(`scheduler config: pluginConfig for unknown plugin "${name}"`);
      const path = `profiles[${index}].pluginConfig[${i}].args`;
      if (name === podTopologySpreadName) args[name] = { ...podTopologySpreadArgs(raw ?? {}, path) };
      if (name === nodeResourcesFitName) args[name] = { ...nodeResourcesFitArgs(raw ?? {}, path) };
    });
    const profile = defaultProfile(p.schedulerName ?? 'default-scheduler', dependencies, [...disabled], args);
    Object.assign(profile.weights, weights);
    profile.percentageOfNodesToScore = p.percentageOfNodesToScore ?? config.percentageOfNodesToScore ?? 0;
    return profile;
  });
}

export function loadSchedulerConfiguration(path: string, dependencies: ProfileDependencies = {}): Profile[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`scheduler config: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return profilesFromConfiguration(text, dependencies);
}
