/**
 * `wharf up --scheduler-config FILE` through real kubectl: a KubeSchedulerConfiguration whose
 * PodTopologySpread args list a hard default constraint (one pod of skew per zone) applies to a
 * Deployment's pods, which their ReplicaSet selects, but not to a bare pod nothing selects; a file the
 * scheduler would refuse stops `wharf up` before it starts, naming the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';

const dir = mkdtempSync(join(tmpdir(), 'wharf-scheduler-config-'));
const configFile = (name: string, args: string) => {
  const path = join(dir, name);
  writeFileSync(
    path,
    `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  pluginConfig:
  - name: PodTopologySpread
    args:
${args}`,
  );
  return path;
};

let wharf: Wharf;
beforeAll(async () => {
  const path = configFile(
    'zone-spread.yaml',
    `      defaultingType: List
      defaultConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
`,
  );
  wharf = await startWharf({ extraArgs: ['--scheduler-config', path] });
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

const k = (args: string[]) => kubectl('1.35', args, { kubeconfig: wharf.kubeconfig });
async function ok(args: string[]): Promise<string> {
  const result = await k(args);
  expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

async function until(read: () => Promise<string>, done: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await read();
    if (done(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('wharf up --scheduler-config', () => {
  it("spreads a Deployment's pods by the configured default constraint, and leaves a bare pod alone", async () => {
    // Only node-1 (zone-a) takes new pods; the other zones still count, with no pods in them.
    await ok(['taint', 'nodes', 'node-2', 'node-3', 'hold=on:NoSchedule']);
    await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    const rows = await until(
      () =>
        ok([
          'get',
          'pods',
          '-l',
          'app=web',
          '-o',
          'jsonpath={range .items[*]}{.spec.nodeName}:{.status.phase}{"\\n"}{end}',
        ]),
      (text) => text.trim().split('\n').sort().join(',') === ':Pending,node-1:Running',
      'one replica Running on node-1 and one Pending',
    );
    expect(rows).toContain('node-1:Running');
    const pending = (
      await ok(['get', 'pods', '-l', 'app=web', '--field-selector', 'spec.nodeName=', '-o', 'name'])
    ).trim();
    const described = await until(
      () => ok(['describe', pending]),
      (text) => text.includes('FailedScheduling'),
      'a FailedScheduling event',
    );
    expect(described).toContain(
      "0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints, 2 node(s) had untolerated taint {hold: on}.",
    );

    // The same labels on a pod that no ReplicaSet, StatefulSet, RC or Service selects: no default constraint.
    await ok(['run', 'loose', '--image=nginx', '--labels=app=web']);
    await until(
      () => ok(['get', 'pod', 'loose', '-o', 'jsonpath={.spec.nodeName}:{.status.phase}']),
      (text) => text === 'node-1:Running',
      'the bare pod Running on node-1',
    );
  });

  it('refuses to start with a configuration kube-scheduler would refuse, naming the field', async () => {
    const bad = configFile(
      'bad.yaml',
      `      defaultConstraints:
      - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule }
`,
    );
    await expect(startWharf({ extraArgs: ['--scheduler-config', bad] })).rejects.toThrow(
      'error: scheduler config: profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
    );
    await expect(startWharf({ extraArgs: ['--scheduler-config', join(dir, 'missing.yaml')] })).rejects.toThrow(
      /wharf exited with code 1 before it was ready:\nerror: scheduler config: cannot read .*missing\.yaml: ENOENT/,
    );
  });
});
