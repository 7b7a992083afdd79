import { describe, expect, it } from 'vitest';
import { podPrinter } from './pod.ts';
import { ago, cells, minutes, object } from './testing.ts';

interface PodParts {
  phase?: string;
  reason?: string;
  containers?: Record<string, unknown>[];
  initContainers?: Record<string, unknown>[];
  statuses?: Record<string, unknown>[];
  initStatuses?: Record<string, unknown>[];
  conditions?: Record<string, unknown>[];
  deletionTimestamp?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function pod(parts: PodParts = {}) {
  return object(
    'Pod',
    {
      spec: {
        containers: parts.containers ?? [{ name: 'app', image: 'nginx' }],
        ...(parts.initContainers ? { initContainers: parts.initContainers } : {}),
        ...parts.spec,
      },
      status: {
        phase: parts.phase ?? 'Running',
        ...(parts.reason ? { reason: parts.reason } : {}),
        containerStatuses: parts.statuses ?? [],
        initContainerStatuses: parts.initStatuses ?? [],
        conditions: parts.conditions ?? [],
        ...parts.status,
      },
    },
    parts.deletionTimestamp ? { deletionTimestamp: parts.deletionTimestamp } : {},
  );
}

const running = { name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: ago(minutes(4)) } } };
const waiting = (reason: string) => ({ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason } } });
const terminated = (fields: Record<string, unknown>) => ({ name: 'app', ready: false, state: { terminated: fields } });

describe('pod printer: Status', () => {
  it.each([
    ['the phase when containers run', pod({ statuses: [running] }), 'Running'],
    ['the phase when there are no statuses yet', pod({ phase: 'Pending' }), 'Pending'],
    ['status.reason over the phase', pod({ phase: 'Failed', reason: 'Evicted' }), 'Evicted'],
    ['NodeLost from status.reason', pod({ reason: 'NodeLost' }), 'NodeLost'],
    [
      'a waiting container reason',
      pod({ phase: 'Pending', statuses: [waiting('ContainerCreating')] }),
      'ContainerCreating',
    ],
    ['CrashLoopBackOff', pod({ statuses: [waiting('CrashLoopBackOff')] }), 'CrashLoopBackOff'],
    [
      'a terminated reason',
      pod({ phase: 'Succeeded', statuses: [terminated({ reason: 'Completed', exitCode: 0 })] }),
      'Completed',
    ],
    ['ExitCode:N without a reason', pod({ statuses: [terminated({ exitCode: 3 })] }), 'ExitCode:3'],
    ['Signal:N without a reason', pod({ statuses: [terminated({ exitCode: 137, signal: 9 })] }), 'Signal:9'],
    [
      'the first container when several have reasons',
      pod({
        containers: [{ name: 'a' }, { name: 'b' }],
        statuses: [waiting('ImagePullBackOff'), { ...waiting('ErrImagePull'), name: 'b' }],
      }),
      'ImagePullBackOff',
    ],
    [
      'SchedulingGated from the PodScheduled condition',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      'SchedulingGated',
    ],
    [
      'Terminating when deletionTimestamp is set',
      pod({ statuses: [running], deletionTimestamp: ago(0) }),
      'Terminating',
    ],
    [
      'not Terminating for a finished pod',
      pod({ phase: 'Succeeded', statuses: [terminated({ reason: 'Completed' })], deletionTimestamp: ago(0) }),
      'Completed',
    ],
    ['Unknown for a deleted pod on a lost node', pod({ reason: 'NodeLost', deletionTimestamp: ago(0) }), 'Unknown'],
  ])('shows %s', (_case, value, expected) => {
    expect(cells(podPrinter, value).Status).toBe(expected);
  });

  const initContainers = [{ name: 'init-a' }, { name: 'init-b' }];
  const initDone = { name: 'init-a', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
  it.each([
    ['Init:N/M while an init container runs', [initDone, { name: 'init-b', state: { running: {} } }], 'Init:1/2'],
    [
      'Init:N/M while waiting on PodInitializing',
      [{ name: 'init-a', state: { waiting: { reason: 'PodInitializing' } } }],
      'Init:0/2',
    ],
    [
      'Init:<reason> while waiting',
      [initDone, { name: 'init-b', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      'Init:CrashLoopBackOff',
    ],
    [
      'Init:<reason> when one failed',
      [{ name: 'init-a', state: { terminated: { exitCode: 1, reason: 'Error' } } }],
      'Init:Error',
    ],
    [
      'Init:ExitCode:N when one failed without a reason',
      [{ name: 'init-a', state: { terminated: { exitCode: 2 } } }],
      'Init:ExitCode:2',
    ],
  ])('shows %s', (_case, initStatuses, expected) => {
    const value = pod({ phase: 'Pending', initContainers, initStatuses, statuses: [waiting('PodInitializing')] });
    expect(cells(podPrinter, value).Status).toBe(expected);
  });

  it.each([
    ['Running', [{ type: 'Ready', status: 'True' }]],
    ['NotReady', []],
  ])('shows %s when one container completed and another still runs', (expected, conditions) => {
    const value = pod({
      containers: [{ name: 'app' }, { name: 'b' }],
      statuses: [terminated({ reason: 'Completed', exitCode: 0 }), { ...running, name: 'b' }],
      conditions,
    });
    expect(cells(podPrinter, value).Status).toBe(expected);
  });

  it('counts a started sidecar (init container with restartPolicy Always) as a container', () => {
    const value = pod({
      initContainers: [{ name: 'proxy', restartPolicy: 'Always' }],
      initStatuses: [{ name: 'proxy', started: true, ready: true, state: { running: {} } }],
      statuses: [running],
    });
    expect(cells(podPrinter, value)).toMatchObject({ Ready: '2/2', Status: 'Running' });
  });
});

describe('pod printer: Ready and Restarts', () => {
  it('counts ready running containers out of all containers', () => {
    const value = pod({
      containers: [{ name: 'a' }, { name: 'b' }],
      statuses: [running, { ...running, name: 'b', ready: false }],
    });
    expect(cells(podPrinter, value).Ready).toBe('1/2');
  });

  it('prints a plain count when nothing restarted or no finish time is known', () => {
    expect(cells(podPrinter, pod({ statuses: [running] })).Restarts).toBe('0');
    expect(cells(podPrinter, pod({ statuses: [{ ...running, restartCount: 2 }] })).Restarts).toBe('2');
  });

  it('adds how long ago the latest restart finished', () => {
    const value = pod({
      containers: [{ name: 'a' }, { name: 'b' }],
      statuses: [
        { ...running, restartCount: 2, lastState: { terminated: { finishedAt: ago(minutes(30)) } } },
        { ...running, name: 'b', restartCount: 1, lastState: { terminated: { finishedAt: ago(minutes(5)) } } },
      ],
    });
    expect(cells(podPrinter, value).Restarts).toBe('3 (5m ago)');
  });

  it('counts init container restarts while initializing', () => {
    const value = pod({
      phase: 'Pending',
      initContainers: [{ name: 'init-a' }],
      initStatuses: [{ name: 'init-a', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      statuses: [{ ...waiting('PodInitializing'), restartCount: 9 }],
    });
    expect(cells(podPrinter, value).Restarts).toBe('4');
  });
});

describe('pod printer: wide columns', () => {
  it('prints <none> for unset IP, node, nominated node and readiness gates', () => {
    const row = cells(podPrinter, pod());
    expect([row.IP, row.Node, row['Nominated Node'], row['Readiness Gates']]).toEqual([
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('prints the first pod IP, the node and passed readiness gates', () => {
    const value = pod({
      spec: { nodeName: 'node-1', readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }] },
      status: { podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }], nominatedNodeName: 'node-2' },
      conditions: [
        { type: 'a', status: 'True' },
        { type: 'b', status: 'False' },
      ],
    });
    const row = cells(podPrinter, value);
    expect([row.IP, row.Node, row['Nominated Node'], row['Readiness Gates']]).toEqual([
      '10.0.0.5',
      'node-1',
      'node-2',
      '1/2',
    ]);
  });
});
