/**
 * pluginConfig args from a KubeSchedulerConfiguration, checked as kube-scheduler checks them before it
 * starts: a bad file stops the scheduler with the field at fault, rather than scheduling differently
 * from what the file says. Only plugins whose args change behaviour here are read; the args of others
 * are accepted and ignored.
 */
import { validateLabelKey } from '../selectors/index.ts';
import type { NodeResourcesFitArgs, ScoringStrategy } from './plugins/node-resources-fit.ts';
import type { PodTopologySpreadArgs } from './plugins/pod-topology-spread.ts';
import type { TopologySpreadConstraint } from './types.ts';

const whenUnsatisfiable = ['DoNotSchedule', 'ScheduleAnyway'];
const strategyTypes = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

/** `path: Invalid value: "v": why`, as a Kubernetes field error reads. */
const invalid = (path: string, value: unknown, why: string) =>
  `${path}: Invalid value: ${JSON.stringify(value)}: ${why}`;
const unsupported = (path: string, value: unknown, supported: readonly string[]) =>
  `${path}: Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`;

function fail(errors: string[]): void {
  if (errors.length) throw new Error(`scheduler config: ${errors.join(', ')}`);
}

/**
 * NodeResourcesFitArgs.scoringStrategy: the type, resource weights (1..100) and, for
 * RequestedToCapacityRatio, a shape of ascending utilizations (0..100) with scores (0..10).
 */
export function nodeResourcesFitArgs(raw: Record<string, unknown>, path: string): NodeResourcesFitArgs {
  const strategy = raw.scoringStrategy as ScoringStrategy | undefined;
  if (strategy === undefined) return {};
  const errors: string[] = [];
  const at = `${path}.scoringStrategy`;
  if (!strategyTypes.includes(strategy.type))
    errors.push(unsupported(`${at}.type`, strategy.type ?? '', strategyTypes));
  // An unset (or zero) weight is 1, as kube-scheduler defaults it; an empty list is the plugin's default.
  const resources = (strategy.resources ?? []).map((r) => ({ name: r.name, weight: r.weight || 1 }));
  resources.forEach((r, i) => {
    if (!(r.weight >= 1 && r.weight <= 100)) {
      const why = `resource weight of ${r.name} not in valid range [1, 100]`;
      errors.push(invalid(`${at}.resources[${i}].weight`, r.weight, why));
    }
  });
  const shape = strategy.requestedToCapacityRatio?.shape;
  if (strategy.type === 'RequestedToCapacityRatio' || shape) {
    if (!shape?.length) errors.push(`${at}.shape: Required value: at least one point must be specified`);
    else {
      const unsorted = shape.findIndex((p, i) => i > 0 && (shape[i - 1]?.utilization ?? 0) >= p.utilization);
      if (unsorted > 0) {
        const why = 'utilization values must be sorted in increasing order';
        errors.push(invalid(`${at}.shape[${unsorted}].utilization`, shape[unsorted]?.utilization, why));
      }
      shape.forEach((p, i) => {
        if (!(p.utilization >= 0 && p.utilization <= 100)) {
          errors.push(invalid(`${at}.shape[${i}].utilization`, p.utilization, 'not in valid range [0, 100]'));
        }
        if (!(p.score >= 0 && p.score <= 10)) {
          errors.push(invalid(`${at}.shape[${i}].score`, p.score, 'not in valid range [0, 10]'));
        }
      });
    }
  }
  fail(errors);
  return { scoringStrategy: { ...strategy, resources } };
}

export function podTopologySpreadArgs(raw: Record<string, unknown>, path: string): PodTopologySpreadArgs {
  const errors: string[] = [];
  const defaultingType = (raw.defaultingType ?? 'System') as PodTopologySpreadArgs['defaultingType'];
  const constraints = (raw.defaultConstraints ?? []) as TopologySpreadConstraint[];
  if (defaultingType !== 'System' && defaultingType !== 'List') {
    errors.push(unsupported(`${path}.defaultingType`, defaultingType, ['System', 'List']));
  } else if (defaultingType === 'System' && constraints.length > 0) {
    errors.push(invalid(`${path}.defaultingType`, defaultingType, 'when .defaultConstraints are not empty'));
  }
  const seen = new Set<string>();
  constraints.forEach((c, i) => {
    const at = `${path}.defaultConstraints[${i}]`;
    if (!(c.maxSkew > 0)) errors.push(invalid(`${at}.maxSkew`, c.maxSkew, 'not in valid range (0, inf)'));
    const keyProblem = c.topologyKey ? validateLabelKey(c.topologyKey) : undefined;
    if (!c.topologyKey) errors.push(`${at}.topologyKey: Required value: can not be empty`);
    else if (keyProblem) errors.push(invalid(`${at}.topologyKey`, c.topologyKey, keyProblem));
    if (!whenUnsatisfiable.includes(c.whenUnsatisfiable)) {
      errors.push(unsupported(`${at}.whenUnsatisfiable`, c.whenUnsatisfiable, whenUnsatisfiable));
    }
    if (c.labelSelector !== undefined) {
      errors.push(
        `${at}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`,
      );
    }
    const pair = `${c.topologyKey}|${c.whenUnsatisfiable}`;
    if (seen.has(pair)) errors.push(`${at}: Duplicate value: "{${c.topologyKey}, ${c.whenUnsatisfiable}}"`);
    seen.add(pair);
  });
  fail(errors);
  return { defaultingType, defaultConstraints: constraints };
}
