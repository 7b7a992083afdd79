/**
 * The simulated kubelet's pod lifecycle through real kubectl binaries against `wharf up` (its own
 * 3 simulated nodes): run --restart=Never pods that echo, sleep and exit; logs, logs -f (streaming
 * while the container runs), -c for a pod with several containers, --previous after a restart;
 * describe's events in order; wait --for=condition=Ready; a crashing container in CrashLoopBackOff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../src/controllers/runtime/eventually.ts';
import { kubectl, kubectlStream } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';
import { discoveryTrouble, e2eVersions } from './versions.ts';

let wharf: Wharf;
const nsOf = (version: KubectlVersion) => `logs-${version.replace('.', '-')}`;

async function ok(version: KubectlVersion, args: string[]): Promise<string> {
  const result = await kubectl(version, args, { kubeconfig: wharf.kubeconfig, timeoutMs: 90_000 });
  expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
  expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

const jsonpath = (version: KubectlVersion, pod: string, path: string) =>
  ok(version, ['get', 'pod', pod, '-n', nsOf(version), '-o', `jsonpath={${path}}`]);

beforeAll(async () => {
  wharf = await startWharf({ nodes: 3 });
  // Crash loops take their back-off time: start them for every version at once.
  await Promise.all(
    e2eVersions.map(async (version) => {
      await ok(version, ['create', 'namespace', nsOf(version)]);
      await ok(version, [
        'run',
        'crash',
        '-n',
        nsOf(version),
        '--image=busybox',
        '--',
        'sh',
        '-c',
        'echo crashing; exit 1',
      ]);
    }),
  );
}, 60_000);
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

describe.each(e2eVersions)('kubectl %s', (version) => {
  const ns = nsOf(version);

  it('runs a pod that echoes, sleeps and exits; logs prints its lines, with timestamps on request', async () => {
    await ok(version, [
      'run',
      'echo',
      '-n',
      ns,
      '--image=busybox',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'echo hello; sleep 1; echo bye',
    ]);
    await eventually(async () => expect(await jsonpath(version, 'echo', '.status.phase')).toBe('Succeeded'), 6000);
    expect(await ok(version, ['logs', 'echo', '-n', ns])).toBe('hello\nbye\n');
    expect(await ok(version, ['logs', 'echo', '-n', ns, '--tail=1'])).toBe('bye\n');
    expect(await ok(version, ['logs', 'echo', '-n', ns, '--timestamps'])).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z bye\n$/,
    );
    expect(await ok(version, ['logs', 'echo', '-n', ns, '--limit-bytes=3'])).toBe('hel');
    expect(await jsonpath(version, 'echo', '.status.containerStatuses[0].state.terminated.reason')).toBe('Completed');
  });

  it('logs -f streams while the container runs and ends when it exits', async () => {
    await ok(version, [
      'run',
      'ticker',
      '-n',
      ns,
      '--image=busybox',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'echo one; sleep 3; echo two',
    ]);
    await eventually(async () => expect(await jsonpath(version, 'ticker', '.status.phase')).toBe('Running'), 6000);
    const stream = kubectlStream(version, ['logs', '-f', 'ticker', '-n', ns], { kubeconfig: wharf.kubeconfig });
    try {
      expect(await stream.waitFor(/one\n/)).not.toContain('two');
      expect(await stream.waitFor(/two\n/)).toBe('one\ntwo\n');
    } finally {
      await stream.stop();
    }
    // Once the container has ended, -f returns at once with the whole log.
    expect(await ok(version, ['logs', '-f', 'ticker', '-n', ns])).toBe('one\ntwo\n');
  });

  it('picks a container with -c in a pod with several, and refuses an unknown one', async () => {
    const overrides = JSON.stringify({
      spec: {
        containers: ['a', 'b'].map((name) => ({
          name,
          image: 'busybox',
          command: ['sh', '-c', `echo from-${name}; sleep 600`],
        })),
      },
    });
    await ok(version, ['run', 'multi', '-n', ns, '--image=busybox', '--restart=Never', `--overrides=${overrides}`]);
    await ok(version, ['wait', '--for=condition=Ready', 'pod/multi', '-n', ns, '--timeout=60s']);
    expect(await ok(version, ['logs', 'multi', '-n', ns, '-c', 'b'])).toBe('from-b\n');
    const wrong = await kubectl(version, ['logs', 'multi', '-n', ns, '-c', 'nope'], { kubeconfig: wharf.kubeconfig });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/container nope is not valid for pod multi/);
  });

  it('waits for a server pod to be Ready; describe lists its events in order', async () => {
    // A tag of its own, so no node has it yet and the kubelet pulls it (Pulling, Pulled).
    await ok(version, ['run', 'server', '-n', ns, `--image=nginx:e2e-${ns}`]);
    expect(await ok(version, ['wait', '--for=condition=Ready', 'pod/server', '-n', ns, '--timeout=60s'])).toMatch(
      /pod\/server condition met/,
    );
    const described = await ok(version, ['describe', 'pod', 'server', '-n', ns]);
    const events = described.slice(described.indexOf('Events:'));
    const order = ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'].map((reason) =>
      events.indexOf(` ${reason} `),
    );
    expect(
      order.every((at) => at > 0),
      events,
    ).toBe(true);
    expect(
      [...order].sort((a, b) => a - b),
      events,
    ).toEqual(order);
    expect(events).toMatch(/Successfully assigned .*\/server to node-\d/);
  });

  it('a crashing container restarts into CrashLoopBackOff and logs --previous shows the last run', async () => {
    await eventually(async () => {
      expect(await jsonpath(version, 'crash', '.status.containerStatuses[0].state.waiting.reason')).toBe(
        'CrashLoopBackOff',
      );
    }, 6000);
    expect(Number(await jsonpath(version, 'crash', '.status.containerStatuses[0].restartCount'))).toBeGreaterThan(0);
    expect(await ok(version, ['logs', 'crash', '-n', ns, '--previous'])).toBe('crashing\n');
    expect(await ok(version, ['get', 'pod', 'crash', '-n', ns])).toMatch(/crash\s+0\/1\s+CrashLoopBackOff/);
    const described = await ok(version, ['describe', 'pod', 'crash', '-n', ns]);
    expect(described).toMatch(/Back-off restarting failed container crash in pod crash_/);
  });
});
