/**
 * A DaemonSet pod for one node, as the real controller builds it (kubernetes pkg/controller/daemon
 * and util): the scheduler places it, pinned by a required node affinity term matchFields
 * metadata.name In [node] (replacing the template's required terms); it carries the DaemonSet
 * tolerations, so it runs on not-ready, unreachable, pressured and cordoned nodes; and labels
 * controller-revision-hash and pod-template-generation.
 */
import type { Toleration } from '../../scheduler/types.ts';
import { controllerRevisionHashLabel } from '../history/controller-revision.ts';
import { podFromTemplate } from '../pod-control/pod-from-template.ts';
import type { Pod, PodTemplateSpec } from '../pod-control/types.ts';
import type { DaemonSet } from './types.ts';

export const podTemplateGenerationLabel = 'pod-template-generation';

const noExecute = (key: string): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute' });
const noSchedule = (key: string): Toleration => ({ key, operator: 'Exists', effect: 'NoSchedule' });

/** util.AddOrUpdateDaemonPodTolerations, in its order. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const list = [
    noExecute('node.kubernetes.io/not-ready'),
    noExecute('node.kubernetes.io/unreachable'),
    noSchedule('node.kubernetes.io/disk-pressure'),
    noSchedule('node.kubernetes.io/memory-pressure'),
    noSchedule('node.kubernetes.io/pid-pressure'),
    noSchedule('node.kubernetes.io/unschedulable'),
  ];
  if (hostNetwork) list.push(noSchedule('node.kubernetes.io/network-unavailable'));
  return list;
}

const sameToleration = (a: Toleration, b: Toleration) =>
  a.key === b.key &&
  (a.operator ?? 'Equal') === (b.operator ?? 'Equal') &&
  a.effect === b.effect &&
  a.value === b.value;

/** The template with the DaemonSet tolerations added (used both to decide eligibility and to create). */
export function withDaemonTolerations(template: Readonly<PodTemplateSpec>): PodTemplateSpec {
  const spec = structuredClone(template.spec ?? {}) as Record<string, unknown> & { tolerations?: Toleration[] };
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(spec.hostNetwork === true)) {
    if (!tolerations.some((x) => sameToleration(x, t))) tolerations.push(t);
  }
  spec.tolerations = tolerations;
  return { ...template, spec };
}

export function daemonPod(ds: Readonly<DaemonSet>, nodeName: string, hash: string): Pod {
  const template = withDaemonTolerations(ds.spec?.template ?? {});
  const pod = podFromTemplate(template, ds);
  pod.metadata.labels = {
    ...pod.metadata.labels,
    [controllerRevisionHashLabel]: hash,
    [podTemplateGenerationLabel]: String(ds.metadata.generation ?? 1),
  };
  const spec = pod.spec ?? {};
  const affinity = (spec.affinity ?? {}) as { nodeAffinity?: Record<string, unknown> };
  spec.affinity = {
    ...affinity,
    nodeAffinity: {
      ...affinity.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
  pod.spec = spec;
  return pod;
}

/** The node a daemon pod is for: where it is bound, else the node its affinity pins it to. */
export function nodeOfDaemonPod(pod: Readonly<Pod>): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const affinity = pod.spec?.affinity as
    | {
        nodeAffinity?: {
          requiredDuringSchedulingIgnoredDuringExecution?: {
            nodeSelectorTerms?: Array<{ matchFields?: Array<{ key: string; operator: string; values?: string[] }> }>;
          };
        };
      }
    | undefined;
  for (const term of affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const field = term.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (field?.values?.length === 1) return field.values[0];
  }
  return undefined;
}
