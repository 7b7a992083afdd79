import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api-types.ts';
import { mountedFiles, type ObjectLookup, resolveEnv } from './container-env.ts';
import { parseDurationMs } from './duration.ts';
import { imageID, isUnpullable, normalizedImage } from './image.ts';
import { expandKubeReferences } from './kube-expand.ts';
import { overridesFrom, withOverrides } from './overrides.ts';
import { toProgram } from './program.ts';
import { type Effect, runProgram } from './run-program.ts';
import { parseShellLine } from './shell-line.ts';

const noEnv = new Map<string, string>();
const context = {
  env: new Map([['NAME', 'world']]),
  hostname: 'web-0',
  files: new Map([['/etc/cfg/mode', 'fast\n']]),
  now: () => Date.UTC(2026, 0, 2, 15, 4, 5),
};

function effectsOf(container: Partial<Container>, limit = 50): Effect[] {
  const out: Effect[] = [];
  for (const e of runProgram(toProgram({ name: 'c', ...container }, context.env), context)) {
    out.push(e);
    if (out.length >= limit) break;
  }
  return out;
}

describe('parseShellLine', () => {
  it.each([
    [
      'echo a; echo b',
      [
        [';', ['echo', 'a']],
        [';', ['echo', 'b']],
      ],
    ],
    [
      'true && echo "x y" || exit 3',
      [
        [';', ['true']],
        ['&&', ['echo', 'x y']],
        ['||', ['exit', '3']],
      ],
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    ['echo \'$NAME\' "$NAME" ${NAME}!', [[';', ['echo', '$NAME', 'world', 'world!']]]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    ['echo ${MISSING:-dflt} $MISSING.', [[';', ['echo', 'dflt', '.']]]],
    [
      'echo hi > /tmp/x; echo ok',
      [
        [';', ['echo', 'hi']],
        [';', ['echo', 'ok']],
      ],
    ],
    ['echo a\\ b # comment', [[';', ['echo', 'a b']]]],
  ])('parses %s', (script, expected) => {
    const parsed = parseShellLine(script, new Map([['NAME', 'world']]));
    expect(parsed.map((c) => [c.connector, c.argv])).toEqual(expected);
  });
});

describe('expandKubeReferences', () => {
  it.each([
    ['$(NAME)', 'world'],
    ['$(UNSET)', '$(UNSET)'],
    ['$$(NAME)', '$(NAME)'],
    ['a$b', 'a$b'],
  ])('%s → %s', (input, output) => expect(expandKubeReferences(input, new Map([['NAME', 'world']]))).toBe(output));
});

describe('runProgram', () => {
  it.each<[string, Partial<Container>, Effect[]]>([
    ['no command runs until stopped', {}, [{ type: 'forever' }]],
    [
      'sleep N',
      { command: ['sleep', '5'] },
      [
        { type: 'sleep', ms: 5000 },
        { type: 'exit', code: 0 },
      ],
    ],
    ['sleep infinity', { command: ['sleep', 'infinity'] }, [{ type: 'forever' }]],
    [
      'sh -c sequence with exit',
      { command: ['/bin/sh', '-c', 'echo hello $NAME; sleep 1 && exit 3; echo never'] },
      [
        { type: 'log', line: 'hello world' },
        { type: 'sleep', ms: 1000 },
        { type: 'exit', code: 3 },
      ],
    ],
    [
      'false || echo recovered',
      { command: ['sh', '-c', 'false || echo recovered'] },
      [
        { type: 'log', line: 'recovered' },
        { type: 'exit', code: 0 },
      ],
    ],
    ['false && echo skipped', { command: ['sh', '-c', 'false && echo skipped'] }, [{ type: 'exit', code: 1 }]],
    [
      'hostname and date',
      { command: ['sh', '-c', 'hostname; date'] },
      [
        { type: 'log', line: 'web-0' },
        { type: 'log', line: 'Fri Jan  2 15:04:05 UTC 2026' },
        { type: 'exit', code: 0 },
      ],
    ],
    [
      'cat of a mounted key',
      { command: ['cat', '/etc/cfg/mode'] },
      [
        { type: 'log', line: 'fast' },
        { type: 'exit', code: 0 },
      ],
    ],
    [
      'cat of a missing file',
      { command: ['cat', '/nope'] },
      [
        { type: 'log', line: 'cat: /nope: No such file or directory' },
        { type: 'exit', code: 1 },
      ],
    ],
    [
      '$(VAR) in args',
      { command: ['echo'], args: ['$(NAME)'] },
      [
        { type: 'log', line: 'world' },
        { type: 'exit', code: 0 },
      ],
    ],
    [
      'agnhost entrypoint',
      { image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['pause'] },
      [{ type: 'forever' }],
    ],
    [
      'unknown command',
      { command: ['frobnicate'] },
      [
        { type: 'log', line: 'wharf: "frobnicate" is not simulated; it ran for 1s and succeeded' },
        { type: 'sleep', ms: 1000 },
        { type: 'exit', code: 0 },
      ],
    ],
  ])('%s', (_name, container, expected) => expect(effectsOf(container)).toEqual(expected));

  it('runs a while loop lazily', () => {
    const effects = effectsOf({ command: ['sh', '-c', 'while true; do echo tick; sleep 2; done'] }, 6);
    expect(effects).toEqual([
      { type: 'log', line: 'tick' },
      { type: 'sleep', ms: 2000 },
      { type: 'log', line: 'tick' },
      { type: 'sleep', ms: 2000 },
      { type: 'log', line: 'tick' },
      { type: 'sleep', ms: 2000 },
    ]);
  });

  it('paces a loop without sleep at one second', () => {
    expect(effectsOf({ command: ['sh', '-c', 'while :; do echo x; done'] }, 2)).toEqual([
      { type: 'log', line: 'x' },
      { type: 'sleep', ms: 1000 },
    ]);
  });
});

describe('overrides', () => {
  const run = (container: Partial<Container>, annotations: Record<string, string>) => [
    ...withOverrides(runProgram(toProgram({ name: 'c', ...container }, noEnv), context), overridesFrom(annotations)),
  ];
  it('duration makes a server end', () => {
    expect(run({}, { 'sim.wharf.dev/duration': '5s' })).toEqual([
      { type: 'sleep', ms: 5000 },
      { type: 'exit', code: 0 },
    ]);
  });
  it('exit code replaces the program result', () => {
    expect(run({ command: ['sh', '-c', 'echo a; sleep 2'] }, { 'sim.wharf.dev/exit-code': '7' })).toEqual([
      { type: 'log', line: 'a' },
      { type: 'sleep', ms: 2000 },
      { type: 'exit', code: 7 },
    ]);
  });
  it('duration on an endless loop terminates', () => {
    const effects = run({ command: ['sh', '-c', 'while true; do sleep 1; done'] }, { 'sim.wharf.dev/duration': '1m' });
    expect(effects.slice(-2)).toEqual([
      { type: 'sleep', ms: 60000 },
      { type: 'exit', code: 0 },
    ]);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['5s', 5000],
    ['1m30s', 90000],
    ['250ms', 250],
    ['2', 2000],
    ['0.5', 500],
    ['soon', undefined],
  ])('%s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));
});

describe('images', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
  ])('normalizes %s', (image, full) => expect(normalizedImage(image)).toBe(full));

  it('derives a stable imageID', () => {
    expect(imageID('nginx')).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(imageID('nginx')).toBe(imageID('nginx:latest'));
  });

  it.each([
    ['foo:non-existent', true],
    ['webserver:404', true],
    ['invalid.example/x', true],
    ['example.com/does-not-exist:1', true],
    ['nginx:1.27', false],
    ['localhost:404/app', false],
  ])('pull of %s fails: %s', (image, fails) => expect(isUnpullable(image)).toBe(fails));
});

describe('resolveEnv', () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'ns1', labels: { app: 'x' } },
    spec: {
      nodeName: 'node-1',
      containers: [],
      volumes: [
        { name: 'cfg', configMap: { name: 'app' } },
        { name: 'sec', secret: { secretName: 'db' } },
      ],
    },
  };
  const lookup: ObjectLookup = {
    configMap: (ns, name) =>
      ns === 'ns1' && name === 'app'
        ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { mode: 'fast', level: '3' } }
        : undefined,
    secret: (ns, name) =>
      ns === 'ns1' && name === 'db'
        ? {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {},
            data: { password: Buffer.from('s3cret').toString('base64') },
          }
        : undefined,
  };
  const env = (container: Partial<Container>) =>
    resolveEnv(pod, { name: 'c', ...container }, lookup, { podIP: '10.244.1.5' });

  it('resolves values, references and sources', () => {
    const result = env({
      envFrom: [{ configMapRef: { name: 'app' }, prefix: 'APP_' }],
      env: [
        { name: 'A', value: 'one' },
        { name: 'B', value: '$(A)-two' },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APPLABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.fromEntries(result.value)).toMatchObject({
      APP_mode: 'fast',
      APP_level: '3',
      A: 'one',
      B: 'one-two',
      MODE: 'fast',
      PW: 's3cret',
      POD: 'web',
      NS: 'ns1',
      IP: '10.244.1.5',
      NODE: 'node-1',
      APPLABEL: 'x',
    });
  });

  it.each<[string, Partial<Container>, string]>([
    [
      'missing configmap',
      { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } }] },
      'configmap "gone" not found',
    ],
    [
      'missing key',
      { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app', key: 'k' } } }] },
      "couldn't find key k in ConfigMap ns1/app",
    ],
    ['missing secret', { envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
    [
      'missing secret key',
      { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } }] },
      "couldn't find key user in Secret ns1/db",
    ],
  ])('fails on %s', (_name, container, message) => expect(env(container)).toEqual({ ok: false, message }));

  it('skips optional missing references', () => {
    expect(
      env({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } }] }).ok,
    ).toBe(true);
  });

  it('mounts configMap and secret keys as files', () => {
    const files = mountedFiles(
      pod,
      {
        name: 'c',
        volumeMounts: [
          { name: 'cfg', mountPath: '/etc/cfg' },
          { name: 'sec', mountPath: '/etc/sec/' },
        ],
      },
      lookup,
    );
    expect(Object.fromEntries(files)).toEqual({
      '/etc/cfg/mode': 'fast',
      '/etc/cfg/level': '3',
      '/etc/sec/password': 's3cret',
    });
  });
});
