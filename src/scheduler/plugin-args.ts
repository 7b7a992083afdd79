/**
 * pluginConfig args from a KubeSchedulerConfiguration, checked as kube-scheduler checks them before it
 * starts: a bad file stops the scheduler with the field at fault, rather than scheduling differently
 * from what the file says. Only plugins whose args change behaviour here are read; the args of others
 * are accepted and ignored.
 */
import type { PodTopologySpreadArgs } from './plugins/pod-topology-spread.ts';
import type { TopologySpreadConstraint } from './types.ts';

const labelName =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const whenUnsatisfiable = ['DoNotSchedule', 'ScheduleAnyway'];

/** `path: Invalid value: "v": why`, as a Kubernetes field error reads. */
const invalid = (path: string, value: unknown, why: string) =>
  `${path}: Invalid value: ${JSON.stringify(value)}: ${why}`;

export function podTopologySpreadArgs(raw: Record<string, unknown>, path: string): PodTopologySpreadArgs {
  const errors: string[] = [];
  const defaultingType = (raw.defaultingType ?? 'System') as PodTopologySpreadArgs['defaultingType'];
  const constraints = (raw.defaultConstraints ?? []) as TopologySpreadConstraint[];
  if (defaultingType !== 'System' && defaultingType !== 'List') {
    errors.push(
      `${path}.defaultingType: Unsupported value: ${JSON.stringify(defaultingType)}: supported values: "System", "List"`,
    );
  } else if (defaultingType === 'System' && constraints.length > 0) {
    errors.push(invalid(`${path}.defaultingType`, defaultingType, 'when .defaultConstraints are not empty'));
  }
  const seen = new Set<string>();
  constraints.forEach((c, i) => {
    const at = `${path}.defaultConstraints[${i}]`;
    if (!(c.maxSkew > 0)) errors.push(invalid(`${at}.maxSkew`, c.maxSkew, 'not in valid range (0, inf)'));
    if (!c.topologyKey) errors.push(`${at}.topologyKey: Required value: can not be empty`);
    else if (!labelName.test(c.topologyKey))
      errors.push(invalid(`${at}.topologyKey`, c.topologyKey, 'not a valid label name'));
    if (!whenUnsatisfiable.includes(c.whenUnsatisfiable)) {
      errors.push(
        `${at}.whenUnsatisfiable: Unsupported value: ${JSON.stringify(c.whenUnsatisfiable)}: supported values: "DoNotSchedule", "ScheduleAnyway"`,
      );
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
  if (errors.length) throw new Error(`scheduler config: ${errors.join(', ')}`);
  return { defaultingType, defaultConstraints: constraints };
}
