/**
 * Defaults of a PodSpec (k8s.io/api/core/v1 SetDefaults_PodSpec and _Container), applied to pods and to
 * every pod template (workloads show them in `kubectl get -o yaml` just the same).
 */
import type { KubeObject } from '../../types/meta.ts';
import { arrayField, objectField, setDefault } from './shared.ts';

export function defaultPodSpec(spec: Record<string, unknown>): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  for (const c of [...arrayField(spec, 'initContainers'), ...arrayField(spec, 'containers')]) {
    setDefault(c, 'terminationMessagePath', '/dev/termination-log');
    setDefault(c, 'terminationMessagePolicy', 'File');
    const image = typeof c.image === 'string' ? c.image : '';
    // An untagged or :latest image is pulled every time; a pinned one only when missing.
    setDefault(
      c,
      'imagePullPolicy',
      image.endsWith(':latest') || !image.split('/').pop()?.includes(':') ? 'Always' : 'IfNotPresent',
    );
    setDefault(c, 'resources', {});
    for (const port of arrayField(c, 'ports')) setDefault(port, 'protocol', 'TCP');
  }
}

/** Defaults the pod template at `spec.template` (or deeper, for CronJobs' jobTemplate). */
export function defaultTemplateAt(object: KubeObject, path: readonly string[]): void {
  let current: Record<string, unknown> = object;
  for (const part of path) current = objectField(current, part);
  defaultPodSpec(objectField(current, 'spec'));
}
