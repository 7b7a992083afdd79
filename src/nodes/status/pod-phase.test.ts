import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodSpec } from '../api-types.ts';
import { creating, exited, pod, running, status } from './builders.test-helpers.ts';
import { podPhase } from './pod-phase.ts';

const crashed = (code: number) =>
  status('web', { waiting: { reason: 'CrashLoopBackOff' } }, { lastState: exited(code), restartCount: 1 });

describe('podPhase', () => {
  it.each<[string, Partial<PodSpec>, ContainerStatus[], ContainerStatus[], string]>([
    ['no status yet', {}, [], [], 'Pending'],
    ['creating', {}, [], [status('web', creating)], 'Pending'],
    ['running', {}, [], [status('web', running)], 'Running'],
    ['succeeded with Never', { restartPolicy: 'Never' }, [], [status('web', exited(0))], 'Succeeded'],
    ['failed with Never', { restartPolicy: 'Never' }, [], [status('web', exited(1))], 'Failed'],
    ['failed with OnFailure restarts', { restartPolicy: 'OnFailure' }, [], [status('web', exited(1))], 'Running'],
    ['succeeded with OnFailure', { restartPolicy: 'OnFailure' }, [], [status('web', exited(0))], 'Succeeded'],
    ['crash loop with Always stays Running', {}, [], [crashed(1)], 'Running'],
    [
      'init container running',
      { initContainers: [{ name: 'init' }] },
      [status('init', running)],
      [status('web', { waiting: { reason: 'PodInitializing' } })],
      'Pending',
    ],
    [
      'init failed with Never',
      { restartPolicy: 'Never', initContainers: [{ name: 'init' }] },
      [status('init', exited(2))],
      [],
      'Failed',
    ],
    [
      'init failed with Always retries',
      { initContainers: [{ name: 'init' }] },
      [status('init', exited(2))],
      [],
      'Pending',
    ],
    [
      'init done',
      { initContainers: [{ name: 'init' }] },
      [status('init', exited(0))],
      [status('web', running)],
      'Running',
    ],
    [
      'sidecar started',
      { initContainers: [{ name: 'side', restartPolicy: 'Always' }] },
      [status('side', running, { started: true })],
      [status('web', running)],
      'Running',
    ],
  ])('%s', (_name, spec, init, containers, phase) => {
    expect(podPhase(pod(spec, [{ name: 'web' }]), init, containers)).toBe(phase);
  });
});
