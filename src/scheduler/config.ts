/**
 * An optional configuration file in the shape of KubeSchedulerConfiguration
 * (kubescheduler.config.k8s.io/v1): profiles with their schedulerName, plugins enabled or disabled per
 * extension point (or `multiPoint`), score weights, and percentageOfNodesToScore. Only the fields that
 * change behaviour here are read; anything else is accepted and ignored, so a real file loads.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { defaultProfile, type Profile, type ProfileDependencies, registry } from './plugins/index.ts';

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
}
interface SchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  percentageOfNodesToScore?: number;
  profiles?: ProfileConfig[];
}

const knownPlugins = new Set([...registry.map((p) => p.name), 'DefaultPreemption', 'PrioritySort', 'DefaultBinder']);

export function profilesFromConfiguration(text: string, dependencies: ProfileDependencies = {}): Profile[] {
  const config = (load(text) ?? {}) as SchedulerConfiguration;
  if (config.kind && config.kind !== 'KubeSchedulerConfiguration') {
    throw new Error(`scheduler config: kind must be KubeSchedulerConfiguration, got ${config.kind}`);
  }
  const profiles = config.profiles?.length ? config.profiles : [{}];
  return profiles.map((p) => {
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
    const profile = defaultProfile(p.schedulerName ?? 'default-scheduler', dependencies, [...disabled]);
    Object.assign(profile.weights, weights);
    profile.percentageOfNodesToScore = p.percentageOfNodesToScore ?? config.percentageOfNodesToScore ?? 0;
    return profile;
  });
}

export function loadSchedulerConfiguration(path: string, dependencies: ProfileDependencies = {}): Profile[] {
  return profilesFromConfiguration(readFileSync(path, 'utf8'), dependencies);
}
