import { describe, expect, it } from 'vitest';
import type { Container, ContainerStatus, Pod, PodSpec } from './api-types.ts';
import { createLogStore } from './log-store.ts';
import { advancePod, createPodSim, hasNoRunningContainers, terminatePod } from './pod-sim.ts';
import { defaultTimings, type PodSim, type SimEnv } from './sim-types.ts';
import { renderPodStatus } from './status/pod-status.ts';

const t0 = Date.parse('2026-01-01T00:00:00Z');

function harness() {
  let now = t0;
  let id = 0;
  const events: string[] = [];
  const env: SimEnv = {
    now: () => now,
    timings: { ...defaultTimings, pullMs: () => 1000 },
    event: (_sim, [type, reason, message]) => events.push(`${type} ${reason}: ${message}`),
    logs: createLogStore(),
    lookup: { configMap: () => undefined, secret: () => undefined },
    hostIP: '172.18.0.2',
    images: new Set(),
    newContainerID: () => `c${++id}`,
  };
  let sim: PodSim | undefined;
  return {
    env,
    events,
    start(pod: Pod, admitted: Pod[] = []) {
      sim = createPodSim(pod, env, admitted, '10.244.0.5');
      advancePod(sim, env);
      return sim;
    },
    /** Moves time forward to `ms` after t0, running every wake-up on the way. */
    runTo(ms: number) {
      if (!sim) throw new Error('start first');
      for (let i = 0; i < 1000; i++) {
        const wake = advancePod(sim, env);
        if (wake === undefined || wake > t0 + ms) break;
        now = Math.max(now, wake);
      }
      now = t0 + ms;
      advancePod(sim, env);
      return renderPodStatus(sim, env.hostIP, now);
    },
  };
}

function pod(
  spec: Partial<PodSpec>,
  containers: Partial<Container>[] = [{}],
  annotations?: Record<string, string>,
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', ...(annotations ? { annotations } : {}) },
    spec: { nodeName: 'n1', containers: containers.map((c) => ({ name: 'web', image: 'nginx:1.27', ...c })), ...spec },
  };
}

const state = (s: ContainerStatus | undefined) =>
  s?.state.running
    ? 'running'
    : s?.state.terminated
      ? `terminated:${s.state.terminated.reason}:${s.state.terminated.exitCode}`
      : `waiting:${s?.state.waiting?.reason}`;

describe('simulated pod lifecycle', () => {
  it('runs a script to completion with its logs and events', () => {
    const h = harness();
    h.start(pod({ restartPolicy: 'Never' }, [{ command: ['sh', '-c', 'echo hello; sleep 2; exit 3'] }]));
    let status = h.runTo(500);
    expect([status.phase, state(status.containerStatuses?.[0])]).toEqual(['Pending', 'waiting:ContainerCreating']);
    status = h.runTo(1500);
    expect([status.phase, state(status.containerStatuses?.[0])]).toEqual(['Running', 'running']);
    expect(status.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, containerID: 'containerd://c1' });
    expect(status.containerStatuses?.[0]?.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:/);
    status = h.runTo(4000);
    expect([status.phase, state(status.containerStatuses?.[0])]).toEqual(['Failed', 'terminated:Error:3']);
    expect(status.podIP).toBe('10.244.0.5');
    expect(h.events).toEqual([
      'Normal Pulling: Pulling image "nginx:1.27"',
      'Normal Pulled: Successfully pulled image "nginx:1.27" in 1s (1s including waiting). Image size: ' +
        h.events[1]?.split('Image size: ')[1],
      'Normal Created: Created container: web',
      'Normal Started: Started container web',
    ]);
    expect(h.env.logs.read('u1', 'web')?.lines.map((l) => l.text)).toEqual(['hello']);
  });

  it('keeps a server running and ready', () => {
    const h = harness();
    h.start(pod({}));
    const status = h.runTo(60_000);
    expect(status.phase).toBe('Running');
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(status.qosClass).toBe('BestEffort');
  });

  it('backs off a crash-looping container', () => {
    const h = harness();
    h.start(pod({}, [{ command: ['sh', '-c', 'exit 1'] }]));
    let status = h.runTo(1500);
    expect(state(status.containerStatuses?.[0])).toBe('terminated:Error:1');
    status = h.runTo(2600);
    expect(status.containerStatuses?.[0]?.restartCount).toBe(1);
    status = h.runTo(4000);
    expect(state(status.containerStatuses?.[0])).toBe('waiting:CrashLoopBackOff');
    expect(status.containerStatuses?.[0]?.state.waiting?.message).toBe(
      'back-off 10s restarting failed container=web pod=web_default(u1)',
    );
    expect(status.containerStatuses?.[0]?.lastState.terminated?.exitCode).toBe(1);
    expect(status.phase).toBe('Running');
    status = h.runTo(13_000);
    expect(status.containerStatuses?.[0]?.restartCount).toBe(2);
    expect(h.events).toContain('Warning BackOff: Back-off restarting failed container web in pod web_default(u1)');
  });

  it('fails pulls of unpullable images with back-off', () => {
    const h = harness();
    h.start(pod({}, [{ image: 'foo:non-existent' }]));
    let status = h.runTo(1500);
    expect(state(status.containerStatuses?.[0])).toBe('waiting:ErrImagePull');
    status = h.runTo(2500);
    expect(state(status.containerStatuses?.[0])).toBe('waiting:ImagePullBackOff');
    expect(h.events).toEqual([
      'Normal Pulling: Pulling image "foo:non-existent"',
      'Warning Failed: Failed to pull image "foo:non-existent": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/foo:non-existent": failed to resolve reference "docker.io/library/foo:non-existent": docker.io/library/foo:non-existent: not found',
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "foo:non-existent"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
  });

  it('reports a missing ConfigMap as CreateContainerConfigError', () => {
    const h = harness();
    h.start(pod({}, [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }]));
    const status = h.runTo(2000);
    expect(status.containerStatuses?.[0]?.state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'configmap "cfg" not found',
    });
    expect(h.events).toContain('Warning Failed: Error: configmap "cfg" not found');
  });

  it('runs init containers in order before the app', () => {
    const h = harness();
    h.start(
      pod({
        initContainers: [
          { name: 'a', image: 'busybox:1.36', command: ['sleep', '2'] },
          { name: 'b', image: 'busybox:1.36', command: ['true'] },
        ],
      }),
    );
    let status = h.runTo(2000);
    expect(status.initContainerStatuses?.map(state)).toEqual(['running', 'waiting:PodInitializing']);
    expect(status.containerStatuses?.map(state)).toEqual(['waiting:PodInitializing']);
    expect(status.conditions?.find((c) => c.type === 'Initialized')?.message).toBe(
      'containers with incomplete status: [a b]',
    );
    status = h.runTo(6000);
    expect(status.initContainerStatuses?.map(state)).toEqual(['terminated:Completed:0', 'terminated:Completed:0']);
    expect(status.phase).toBe('Running');
  });

  it('stops containers gracefully on deletion', () => {
    const h = harness();
    const sim = h.start(pod({}, [{}, { name: 'sleeper', command: ['sleep', '3600'] }]));
    h.runTo(5000);
    sim.pod = {
      ...sim.pod,
      metadata: { ...sim.pod.metadata, deletionTimestamp: '2026-01-01T00:00:35Z', deletionGracePeriodSeconds: 30 },
    };
    terminatePod(sim, h.env);
    let status = h.runTo(6000);
    expect(status.containerStatuses?.map(state)).toEqual(['terminated:Completed:0', 'running']);
    expect(hasNoRunningContainers(sim)).toBe(false);
    status = h.runTo(35_000);
    expect(status.containerStatuses?.map(state)).toEqual(['terminated:Completed:0', 'terminated:Error:137']);
    expect(hasNoRunningContainers(sim)).toBe(true);
    expect(status.phase).toBe('Failed');
    expect(h.events.filter((e) => e.includes('Killing'))).toEqual([
      'Normal Killing: Stopping container web',
      'Normal Killing: Stopping container sleeper',
    ]);
  });

  it('runs a preStop hook before a server stops', () => {
    const h = harness();
    const sim = h.start(pod({}, [{ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } } }]));
    h.runTo(3000);
    terminatePod(sim, h.env);
    expect(state(h.runTo(7000).containerStatuses?.[0])).toBe('running');
    expect(state(h.runTo(8500).containerStatuses?.[0])).toBe('terminated:Completed:0');
  });

  it('fails a pod past activeDeadlineSeconds', () => {
    const h = harness();
    h.start(pod({ activeDeadlineSeconds: 10 }));
    const status = h.runTo(12_000);
    expect(status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
  });

  it('rejects a host-port clash at admission', () => {
    const h = harness();
    const ports = [{ ports: [{ containerPort: 80, hostPort: 8080 }] }];
    h.start(pod({}, ports), [pod({}, ports)]);
    const status = h.runTo(1000);
    expect(status).toMatchObject({
      phase: 'Failed',
      reason: 'NodePorts',
      message:
        "Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
    });
  });

  it('holds readiness on a failing readiness probe', () => {
    const h = harness();
    h.start(pod({}, [{ readinessProbe: { httpGet: { port: 80 } } }], { 'sim.wharf.dev/probe-fail': 'readiness' }));
    const status = h.runTo(30_000);
    expect(status.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
    expect(h.events).toContain('Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500');
  });

  it('restarts a container failing its liveness probe', () => {
    const h = harness();
    h.start(pod({}, [{ livenessProbe: { exec: { command: ['false'] }, periodSeconds: 5, failureThreshold: 2 } }]));
    const status = h.runTo(15_000);
    expect(status.containerStatuses?.[0]?.restartCount).toBe(1);
    expect(h.events).toContain('Normal Killing: Container web failed liveness probe, will be restarted');
  });

  it('applies the duration and exit-code annotations', () => {
    const h = harness();
    h.start(pod({ restartPolicy: 'Never' }, [{}], { 'sim.wharf.dev/duration': '5s', 'sim.wharf.dev/exit-code': '0' }));
    expect(h.runTo(3000).phase).toBe('Running');
    const status = h.runTo(7000);
    expect(status.phase).toBe('Succeeded');
    expect(status.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('PodCompleted');
  });
});
