/**
 * The reasons and messages of the events a kubelet records for a pod, worded as
 * pkg/kubelet/events and kuberuntime write them (kubectl describe shows them verbatim).
 * Each entry returns `[type, reason, message]`.
 */
import { formatGoDuration } from './backoff.ts';

export type KubeletEvent = readonly ['Normal' | 'Warning', string, string];

/** `1.234s` like Go's Duration.String for sub-minute pulls. */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))}s`;

/** `web_default(<uid>)`, the pod as kubelet messages name it (format.Pod). */
export const podDescription = (name: string, namespace: string, uid: string) => `${name}_${namespace}(${uid})`;

export const kubeletEvents = {
  pulling: (image: string): KubeletEvent => ['Normal', 'Pulling', `Pulling image "${image}"`],
  pulled: (image: string, ms: number, sizeBytes: number): KubeletEvent => [
    'Normal',
    'Pulled',
    `Successfully pulled image "${image}" in ${seconds(ms)} (${seconds(ms)} including waiting). Image size: ${sizeBytes} bytes.`,
  ],
  alreadyPresent: (image: string): KubeletEvent => [
    'Normal',
    'Pulled',
    `Container image "${image}" already present on machine`,
  ],
  pullFailed: (image: string, error: string): KubeletEvent => [
    'Warning',
    'Failed',
    `Failed to pull image "${image}": ${error}`,
  ],
  /** `Error: ErrImagePull`, `Error: ImagePullBackOff`, `Error: couldn't find key …`. */
  failed: (error: string): KubeletEvent => ['Warning', 'Failed', `Error: ${error}`],
  pullBackOff: (image: string): KubeletEvent => ['Normal', 'BackOff', `Back-off pulling image "${image}"`],
  created: (container: string): KubeletEvent => ['Normal', 'Created', `Created container: ${container}`],
  started: (container: string): KubeletEvent => ['Normal', 'Started', `Started container ${container}`],
  killing: (container: string): KubeletEvent => ['Normal', 'Killing', `Stopping container ${container}`],
  killingUnhealthy: (container: string, probe: 'liveness' | 'startup'): KubeletEvent => [
    'Normal',
    'Killing',
    `Container ${container} failed ${probe} probe, will be restarted`,
  ],
  backOff: (container: string, pod: string): KubeletEvent => [
    'Warning',
    'BackOff',
    `Back-off restarting failed container ${container} in pod ${pod}`,
  ],
  unhealthy: (probe: 'Liveness' | 'Readiness' | 'Startup', output: string): KubeletEvent => [
    'Warning',
    'Unhealthy',
    `${probe} probe failed: ${output}`,
  ],
  deadlineExceeded: (): KubeletEvent => [
    'Normal',
    'DeadlineExceeded',
    'Pod was active on the node longer than the specified deadline',
  ],
  rejected: (reason: string, message: string): KubeletEvent => ['Warning', reason, message],
} as const;

/** The waiting message of a container in CrashLoopBackOff (kuberuntime_manager doBackOff). */
export function crashLoopMessage(delayMs: number, container: string, pod: string): string {
  return `back-off ${formatGoDuration(delayMs)} restarting failed container=${container} pod=${pod}`;
}

/** The waiting message of a container in ImagePullBackOff. */
export function pullBackOffMessage(image: string, error: string): string {
  return `Back-off pulling image "${image}": ErrImagePull: ${error}`;
}
