/** Pods: minimal defaults, initial status with qosClass, and graceful deletion for bound pods. */

import { defaultPod } from '../../openapi/defaults/pod-spec.ts';
import { validatePodSpec } from '../../openapi/validation/semantic/pod-spec.ts';
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
  // pods/status may not touch ownerReferences: old kubelets corrupted them (pod strategy.go).
  statusResetsMetadata: ['ownerReferences'],
  defaults(object) {
    defaultPod(object);
    const spec = objectField(object, 'spec');
    // What the ServiceAccount and DefaultTolerationSeconds admission plugins add to every pod (priority comes
    // from the Priority admission step in admission/priority.ts).
    setDefault(spec, 'serviceAccountName', 'default');
    setDefault(spec, 'serviceAccount', spec.serviceAccountName);
    const tolerations = arrayField(spec, 'tolerations');
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      if (!tolerations.some((t) => t.key === key && (t.effect === 'NoExecute' || t.effect === undefined))) {
        tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
      }
    }
    spec.tolerations = tolerations;
  },
  validate: (object) => validatePodSpec(object.spec, 'spec'),
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
