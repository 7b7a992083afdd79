/** Pods: minimal defaults, initial status with qosClass, and graceful deletion for bound pods. */
import type { KubeObject } from '../../types/meta.ts';
import type { Strategy } from '../types.ts';
import { arrayField, objectField, setDefault, valueAt } from './shared.ts';

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };

/**
 * QoS class as kubelet's qos.GetPodQOS computes it: BestEffort without any request or limit,
 * Guaranteed when every container limits cpu and memory and requests equal limits, else Burstable.
 */
export function podQOSClass(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const containers = [...arrayField(spec, 'initContainers'), ...arrayField(spec, 'containers')];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = (c.resources ?? {}) as Resources;
    const requests = r.requests ?? {};
    const limits = r.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const name of ['cpu', 'memory']) {
      const limit = limits[name];
      const request = requests[name] ?? limit;
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export const podStrategy: Strategy = {
  tracksGeneration: true,
  deleteReturnsObject: true,
  defaults(object) {
    const spec = objectField(object, 'spec');
    setDefault(spec, 'restartPolicy', 'Always');
    setDefault(spec, 'dnsPolicy', 'ClusterFirst');
    setDefault(spec, 'terminationGracePeriodSeconds', 30);
    setDefault(spec, 'schedulerName', 'default-scheduler');
    setDefault(spec, 'securityContext', {});
    for (const c of [...arrayField(spec, 'initContainers'), ...arrayField(spec, 'containers')]) {
      setDefault(c, 'terminationMessagePath', '/dev/termination-log');
      setDefault(c, 'terminationMessagePolicy', 'File');
      const image = typeof c.image === 'string' ? c.image : '';
      setDefault(c, 'imagePullPolicy', image.endsWith(':latest') || !image.includes(':') ? 'Always' : 'IfNotPresent');
      setDefault(c, 'resources', {});
    }
  },
  validate(object) {
    // The rest of pod validation comes with the OpenAPI catalog; without containers nothing downstream works.
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    const containers = arrayField(spec, 'containers');
    if (containers.length === 0) return [{ type: 'FieldValueRequired', field: 'spec.containers', detail: '' }];
    return containers.flatMap((c, i) =>
      (['name', 'image'] as const)
        .filter((f) => typeof c[f] !== 'string' || c[f] === '')
        .map((f) => ({ type: 'FieldValueRequired' as const, field: `spec.containers[${i}].${f}` })),
    );
  },
  prepareForCreate(object) {
    object.status = { phase: 'Pending', qosClass: podQOSClass(object) };
  },
  gracePeriodSeconds(object, requested) {
    // Unbound pods have no kubelet to wait for; finished pods have nothing left to stop
    // (pkg/registry/core/pod/strategy.go CheckGracefulDelete).
    const phase = valueAt(object, 'status.phase');
    if (!valueAt(object, 'spec.nodeName') || phase === 'Failed' || phase === 'Succeeded') return 0;
    const fromSpec = valueAt(object, 'spec.terminationGracePeriodSeconds');
    const grace = requested ?? (typeof fromSpec === 'number' ? fromSpec : 30);
    return grace;
  },
};
