import { describe, expect, it } from 'vitest';
import type { ConfigMap, Pod } from '../api-types.ts';
import type { Effect } from './builtins.ts';
import { commandEffects, execContext, lineEffects, referencedObjects } from './exec-command.ts';

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    containers: [
      {
        name: 'main',
        image: 'busybox',
        env: [
          { name: 'MODE', value: 'test' },
          { name: 'KEY', valueFrom: { secretKeyRef: { name: 'creds', key: 'token', optional: true } } },
        ],
        envFrom: [{ configMapRef: { name: 'settings' } }],
        volumeMounts: [{ name: 'conf', mountPath: '/etc/conf' }],
      },
    ],
    volumes: [{ name: 'conf', configMap: { name: 'files' } }],
  },
} as Pod;
const main = pod.spec.containers[0] as Pod['spec']['containers'][number];
const configMaps: Record<string, ConfigMap> = {
  settings: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { GREETING: 'hi' } },
  files: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files' }, data: { 'app.conf': 'port=80' } },
};
const lookup = { configMap: (_: string, name: string) => configMaps[name], secret: () => undefined };
const options = { network: { podIP: '10.244.0.5' }, now: () => 0 };

function execCommand(command: string[], objects = lookup) {
  const context = execContext(pod, main, objects, options);
  return context.ok ? { ok: true as const, value: commandEffects(command, context.value) } : context;
}

function output(effects: Iterable<Effect>): { lines: string[]; exit?: number } {
  const lines: string[] = [];
  for (const e of effects) {
    if (e.type === 'log') lines.push(e.line);
    if (e.type === 'exit') return { lines, exit: e.code };
  }
  return { lines };
}

describe('commands run by kubectl exec', () => {
  it('runs sh -c with the container environment, ConfigMap values and mounted files', () => {
    const run = execCommand(['sh', '-c', 'echo $GREETING $MODE; cat /etc/conf/app.conf; exit 4']);
    expect(run.ok).toBe(true);
    if (run.ok) expect(output(run.value)).toEqual({ lines: ['hi test', 'port=80'], exit: 4 });
  });

  it('runs a plain argv without a shell (no expansion)', () => {
    const run = execCommand(['echo', '$MODE']);
    if (!run.ok) throw new Error(run.message);
    expect(output(run.value)).toEqual({ lines: ['$MODE'], exit: 0 });
  });

  it('fails as the kubelet would when a referenced ConfigMap is missing', () => {
    const run = execCommand(['true'], { configMap: () => undefined, secret: () => undefined });
    expect(run).toEqual({ ok: false, message: 'configmap "settings" not found' });
  });

  it('runs a typed shell line and tells when it ends the session', () => {
    const context = execContext(pod, main, lookup, options);
    if (!context.ok) throw new Error(context.message);
    const echo = lineEffects('echo $MODE && false', context.value);
    expect({ ...output(echo.effects), isExit: echo.isExit }).toEqual({ lines: ['test'], exit: 1, isExit: false });
    const exit = lineEffects('echo bye; exit 2', context.value);
    expect({ ...output(exit.effects), isExit: exit.isExit }).toEqual({ lines: ['bye'], exit: 2, isExit: true });
  });

  it('names the ConfigMaps and Secrets to read first', () => {
    expect(referencedObjects(pod, main)).toEqual({
      configMaps: new Set(['settings', 'files']),
      secrets: new Set(['creds']),
    });
  });
});
