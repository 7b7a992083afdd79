/**
 * A pod for a controller from its template (kubernetes pkg/controller GetPodFromTemplate): labels,
 * annotations and finalizers from the template, `generateName` `<owner>-`, and a controller reference.
 */
import type { KubeObject } from '../../types/meta.ts';
import { controllerRefFor } from './owner.ts';
import type { Pod, PodTemplateSpec } from './types.ts';

/** apimachinery names.SimpleNameGenerator: generated names are the prefix (cut to 58) + 5 random characters. */
const maxGenerateNamePrefix = 58;

export function podFromTemplate(template: Readonly<PodTemplateSpec>, owner: Readonly<KubeObject>): Pod {
  const meta = template.metadata ?? {};
  const prefix = `${owner.metadata.name ?? ''}-`;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: prefix.length > maxGenerateNamePrefix ? prefix.slice(0, maxGenerateNamePrefix) : prefix,
      namespace: owner.metadata.namespace ?? '',
      ownerReferences: [controllerRefFor(owner)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}
