/**
 * kubectl exec into simulated containers through the real kubectl: output streamed over the WebSocket
 * channel protocol (kubectl 1.30+), the container's environment (ConfigMap included), a shell reading
 * stdin, kubectl run -i and attach, the exit code
 * passed on, and the errors for a wrong container or a finished pod; kubectl 1.27, which speaks only
 * SPDY, gets a BadRequest that says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { kubectlFor } from './controllers-kubectl.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 1 });
}, 60_000);
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const pods = `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: exec-e2e }
data: { GREETING: hello from a configmap }
---
apiVersion: v1
kind: Pod
metadata: { name: shell, namespace: exec-e2e }
spec:
  containers:
  - name: main
    image: busybox
    command: [sleep, infinity]
    env: [{ name: MODE, value: testing }]
    envFrom: [{ configMapRef: { name: settings } }]
  - { name: side, image: nginx }
---
apiVersion: v1
kind: Pod
metadata: { name: done, namespace: exec-e2e }
spec:
  restartPolicy: Never
  containers: [{ name: main, image: busybox, command: [echo, bye] }]
`;

describe('kubectl exec', () => {
  const k = kubectlFor('1.35', () => wharf.kubeconfig);
  /** `kubectl exec shell -c main -- sh -c SCRIPT`, whatever its exit code. */
  const shell = (script: string) => k.raw('-n', 'exec-e2e', 'exec', 'shell', '-c', 'main', '--', 'sh', '-c', script);

  beforeAll(async () => {
    await k.ok('create', 'namespace', 'exec-e2e');
    await k.okWith(pods, 'apply', '-f', '-');
    await k.ok('-n', 'exec-e2e', 'wait', '--for=condition=Ready', 'pod/shell', '--timeout=60s');
    await k.ok('-n', 'exec-e2e', 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/done', '--timeout=60s');
  }, 120_000);

  it.each(['1.30', '1.35'] as const)('kubectl %s runs a command and prints its output', async (version) => {
    const kv = kubectlFor(version, () => wharf.kubeconfig);
    expect(await kv.ok('-n', 'exec-e2e', 'exec', 'shell', '-c', 'main', '--', 'echo', 'hello', 'world')).toBe(
      'hello world\n',
    );
  });

  it('runs sh -c in the container environment, streaming lines across a sleep', async () => {
    const result = await shell('echo "$GREETING ($MODE)"; sleep 1; echo $HOSTNAME');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('hello from a configmap (testing)\nshell\n');
  });

  it('exits with the command exit code', async () => {
    const result = await shell('echo partial; exit 3');
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('partial\n');
    expect(result.stderr).toContain('command terminated with exit code 3');
  });

  it('runs a bare shell reading its commands from stdin (-i)', async () => {
    const result = await k.rawWith(
      'echo "$MODE"\nsleep 1; echo after\nexit 4\n',
      '-n',
      'exec-e2e',
      'exec',
      '-i',
      'shell',
      '-c',
      'main',
      '--',
      'sh',
    );
    expect(result.stdout).toBe('testing\nafter\n');
    expect(result.code).toBe(4);
  });

  it('kubectl run -i --rm attaches to the container shell; its exit ends the pod with that code', async () => {
    const result = await k.rawWith(
      'echo "in $HOSTNAME"\nexit 5\n',
      '-n',
      'exec-e2e',
      'run',
      'once',
      '-i',
      '--rm',
      '--image=busybox',
      '--restart=Never',
      '--',
      'sh',
    );
    expect(result.stdout).toContain('in once\n');
    expect(result.code).toBe(5);
    expect(result.stdout + result.stderr).toContain('pod "once" deleted');
  });

  it('kubectl attach follows the output of a running container until it exits', async () => {
    await k.ok(
      '-n',
      'exec-e2e',
      'run',
      'ticker',
      '--image=busybox',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'sleep 2; echo tick; sleep 1; echo tock',
    );
    await k.ok('-n', 'exec-e2e', 'wait', '--for=condition=Ready', 'pod/ticker', '--timeout=60s');
    const attached = await k.raw('-n', 'exec-e2e', 'attach', 'ticker');
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stdout).toMatch(/tick\ntock\n$/);
  });

  it('refuses a container the pod does not have, and a pod that has finished', async () => {
    const wrong = await k.raw('-n', 'exec-e2e', 'exec', 'shell', '-c', 'nope', '--', 'ls');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/container nope/);
    const finished = await k.raw('-n', 'exec-e2e', 'exec', 'done', '--', 'ls');
    expect(finished.code).toBe(1);
    expect(finished.stderr).toContain('cannot exec into a container in a completed pod; current phase is Succeeded');
  });

  it('tells kubectl 1.27 (SPDY only) that exec needs WebSocket', async () => {
    const old = kubectlFor('1.27', () => wharf.kubeconfig);
    const result = await old.raw('-n', 'exec-e2e', 'exec', 'shell', '-c', 'main', '--', 'echo', 'hi');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error from server (BadRequest): pods/exec is served over WebSocket');
  });
});
