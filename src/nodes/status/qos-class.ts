/**
 * The pod's QoS class from its containers' cpu and memory (pkg/apis/core/helper/qos GetPodQOS):
 * nothing requested or limited → BestEffort; every container limiting both with requests equal to
 * limits (an unset request defaults to the limit) → Guaranteed; anything else → Burstable.
 */
import { parseQuantity } from '../../quantity.ts';
import type { Container, Pod, QOSClass } from '../api-types.ts';

const computeResources = ['cpu', 'memory'];

const isPositive = (q: string | undefined) => q !== undefined && parseQuantity(q) > 0;

export function qosClass(pod: Pod): QOSClass {
  const containers: Container[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let anySet = false;
  let guaranteed = true;
  for (const container of containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    for (const resource of computeResources) {
      const request = requests[resource];
      const limit = limits[resource];
      if (isPositive(request) || isPositive(limit)) anySet = true;
      if (!isPositive(limit)) {
        guaranteed = false;
        continue;
      }
      if (request !== undefined && parseQuantity(request) !== parseQuantity(limit as string)) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
