import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { record, records, text } from './fields.ts';
import { podSummary } from './pod-status.ts';

/** `kubectl get pods`: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. */
export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready containers out of all containers in the pod.'),
    column('Status', 'string', 'Summary of the pod phase and its containers, e.g. Running or CrashLoopBackOff.'),
    column('Restarts', 'string', 'Total container restarts, with how long ago the last one was.'),
    ageColumn,
    wide('IP', 'string', 'The primary IP address assigned to the pod.'),
    wide('Node', 'string', 'The node the pod is bound to.'),
    wide('Nominated Node', 'string', 'The node the scheduler nominated while preempting other pods.'),
    wide('Readiness Gates', 'string', 'Readiness gates whose condition is True, out of all gates.'),
  ],
  row(pod, now) {
    const summary = podSummary(pod, now);
    return [
      text(pod, 'metadata', 'name'),
      summary.ready,
      summary.status,
      summary.restarts,
      age(pod, now),
      podIP(pod) || '<none>',
      text(pod, 'spec', 'nodeName') || '<none>',
      text(pod, 'status', 'nominatedNodeName') || '<none>',
      readinessGates(pod),
    ];
  },
};

/** status.podIPs[0], falling back to the older single podIP field (v1 keeps both in step). */
function podIP(pod: unknown): string {
  const first = records(pod, 'status', 'podIPs')[0];
  return (first && text(first, 'ip')) || text(pod, 'status', 'podIP');
}

function readinessGates(pod: unknown): string {
  const gates = records(pod, 'spec', 'readinessGates');
  if (gates.length === 0) return '<none>';
  const conditions = records(record(pod, 'status'), 'conditions');
  const passed = gates.filter((gate) => {
    const condition = conditions.find((c) => text(c, 'type') === text(gate, 'conditionType'));
    return condition !== undefined && text(condition, 'status') === 'True';
  }).length;
  return `${passed}/${gates.length}`;
}
