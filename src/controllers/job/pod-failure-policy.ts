/**
 * spec.podFailurePolicy: the first rule that matches a failed pod decides what its failure means
 * (kubernetes pkg/controller/job matchPodFailurePolicy). Exit codes are read from terminated app
 * and init containers, skipping exit code 0; pod conditions match on type and status (default True).
 */
import type { Pod } from '../pod-control/types.ts';
import type { Job, PodFailurePolicyRule } from './types.ts';

export interface PolicyMatch {
  action: PodFailurePolicyRule['action'];
  /** For FailJob/FailIndex: the message the Failed condition carries. */
  message: string;
}

interface TerminatedStatus {
  name: string;
  state?: { terminated?: { exitCode?: number } };
}

function terminatedContainers(pod: Readonly<Pod>): Array<{ name: string; exitCode: number }> {
  const status = pod.status as { containerStatuses?: TerminatedStatus[]; initContainerStatuses?: TerminatedStatus[] };
  return [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])].flatMap((c) => {
    const exitCode = c.state?.terminated?.exitCode;
    return exitCode === undefined || exitCode === 0 ? [] : [{ name: c.name, exitCode }];
  });
}

function exitCodeMatch(rule: PodFailurePolicyRule, pod: Readonly<Pod>) {
  const req = rule.onExitCodes;
  if (!req) return undefined;
  return terminatedContainers(pod).find(
    (c) =>
      (!req.containerName || req.containerName === c.name) &&
      (req.operator === 'In') === (req.values ?? []).includes(c.exitCode),
  );
}

function conditionMatch(rule: PodFailurePolicyRule, pod: Readonly<Pod>) {
  return (rule.onPodConditions ?? []).find((want) =>
    (pod.status?.conditions ?? []).some((c) => c.type === want.type && c.status === (want.status ?? 'True')),
  );
}

/** The matching rule's action and message, or undefined when no rule matches (the failure counts). */
export function matchPodFailurePolicy(job: Readonly<Job>, pod: Readonly<Pod>): PolicyMatch | undefined {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  const podName = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [index, rule] of rules.entries()) {
    const container = exitCodeMatch(rule, pod);
    if (container) {
      return {
        action: rule.action,
        message: `Container ${container.name} for pod ${podName} failed with exit code ${container.exitCode} matching ${rule.action} rule at index ${index}`,
      };
    }
    const condition = conditionMatch(rule, pod);
    if (condition) {
      return {
        action: rule.action,
        message: `Pod ${podName} has condition ${condition.type} matching ${rule.action} rule at index ${index}`,
      };
    }
  }
  return undefined;
}
