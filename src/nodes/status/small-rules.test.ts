import { describe, expect, it } from 'vitest';
import type { Container } from '../api-types.ts';
import { formatGoDuration, nextBackoffLevel, restartDelayMs } from './backoff.ts';
import { pod } from './builders.test-helpers.ts';
import { hasHostPortConflict } from './host-ports.ts';
import { crashLoopMessage, kubeletEvents } from './kubelet-events.ts';
import { qosClass } from './qos-class.ts';

describe('qosClass', () => {
  it.each<[string, Partial<Container>[], string]>([
    ['nothing set', [{}], 'BestEffort'],
    ['requests only', [{ resources: { requests: { cpu: '100m' } } }], 'Burstable'],
    [
      'limits equal requests',
      [{ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } } }],
      'Guaranteed',
    ],
    ['limits only (requests default to them)', [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }], 'Guaranteed'],
    ['one container unbounded', [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }, {}], 'Burstable'],
    ['memory limit missing', [{ resources: { limits: { cpu: '1' } } }], 'Burstable'],
    ['only extended resources', [{ resources: { limits: { 'nvidia.com/gpu': '1' } } }], 'BestEffort'],
  ])('%s → %s', (_name, containers, qos) => expect(qosClass(pod({}, containers))).toBe(qos));
});

describe('CrashLoopBackOff', () => {
  it('restarts at once, then waits 10s doubling to 5m', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(restartDelayMs)).toEqual([
      0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });
  it('starts over after 10 minutes of running', () => {
    expect(nextBackoffLevel(6, 5_000)).toBe(7);
    expect(nextBackoffLevel(6, 600_000)).toBe(1);
  });
  it('prints the delay as Go does', () => {
    expect(formatGoDuration(300_000)).toBe('5m0s');
    expect(crashLoopMessage(40_000, 'web', 'web_default(u1)')).toBe(
      'back-off 40s restarting failed container=web pod=web_default(u1)',
    );
  });
});

describe('hasHostPortConflict', () => {
  const withPort = (hostPort: number, hostIP?: string, protocol?: string) =>
    pod({}, [
      { ports: [{ containerPort: 80, hostPort, ...(hostIP ? { hostIP } : {}), ...(protocol ? { protocol } : {}) }] },
    ]);
  it.each([
    ['same port', withPort(8080), [withPort(8080)], true],
    ['other port', withPort(8080), [withPort(8081)], false],
    ['other protocol', withPort(53, undefined, 'UDP'), [withPort(53)], false],
    ['wildcard against a specific IP', withPort(80, '10.0.0.1'), [withPort(80)], true],
    ['two specific IPs', withPort(80, '10.0.0.1'), [withPort(80, '10.0.0.2')], false],
    ['no host ports', pod(), [withPort(80)], false],
  ])('%s', (_name, candidate, admitted, conflict) => expect(hasHostPortConflict(candidate, admitted)).toBe(conflict));
});

describe('kubelet event messages', () => {
  it.each([
    [kubeletEvents.pulling('nginx'), 'Pulling image "nginx"'],
    [
      kubeletEvents.pulled('nginx', 1200, 72_000_000),
      'Successfully pulled image "nginx" in 1.2s (1.2s including waiting). Image size: 72000000 bytes.',
    ],
    [kubeletEvents.created('web'), 'Created container: web'],
    [kubeletEvents.started('web'), 'Started container web'],
    [kubeletEvents.killing('web'), 'Stopping container web'],
    [
      kubeletEvents.backOff('web', 'web_default(u1)'),
      'Back-off restarting failed container web in pod web_default(u1)',
    ],
  ])('%s', (event, message) => expect(event[2]).toBe(message));
});
