/**
 * Deployments, ReplicaSets and ReplicationControllers through real kubectl binaries against `wharf up`:
 * create, pod replacement, set image with rollout status, history, undo, restart, scale, pause/resume.
 * The simulated nodes run in this process over HTTP (like kubelets joining the cluster), so pods run
 * whatever `wharf up` itself starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/client/http-client.ts';
import { loadKubeconfig } from '../../src/client/kubeconfig.ts';
import { wharfVersion } from '../../src/cluster/version.ts';
import { eventually } from '../../src/controllers/runtime/eventually.ts';
import { type SimulatedNodes, startSimulatedNodes } from '../../src/nodes/engine.ts';
import { kubectl } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { discoveryTrouble, e2eVersions } from './versions.ts';

let wharf: Wharf;
let nodes: SimulatedNodes;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 0 });
  const client = createHttpClient(loadKubeconfig(wharf.kubeconfig));
  nodes = await startSimulatedNodes({
    client,
    nodes: [1, 2, 3].map((i) => ({ name: `e2e-node-${i}`, zone: 'zone-a' })),
    serverVersion: wharfVersion.gitVersion,
  });
}, 60_000);
afterAll(async () => {
  await nodes?.stop();
  expect(await wharf?.stop()).toBe(0);
});

const manifest = (ns: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  strategy:
    rollingUpdate: { maxSurge: 1, maxUnavailable: 1 }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

describe.each(e2eVersions)('kubectl %s', (version) => {
  const k = (...args: string[]) => kubectl(version, args, { kubeconfig: wharf.kubeconfig, timeoutMs: 90_000 });
  const ok = async (args: string[], input?: string) => {
    const result = await kubectl(version, args, {
      kubeconfig: wharf.kubeconfig,
      timeoutMs: 90_000,
      ...(input === undefined ? {} : { input }),
    });
    expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const ns = `deploy-${version.replace('.', '-')}`;
  const jsonOf = async <T>(...args: string[]) => JSON.parse(await ok([...args, '-o', 'json', '-n', ns])) as T;
  type Named = { metadata: { name: string; labels?: Record<string, string> } };
  const podNames = async () =>
    (
      await jsonOf<{ items: Array<Named & { metadata: { deletionTimestamp?: string } }> }>(
        'get',
        'pods',
        '-l',
        'app=web',
      )
    ).items
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name);

  beforeAll(async () => {
    await ok(['create', 'namespace', ns]);
  });

  it('creates a deployment that rolls out and replaces a deleted pod', async () => {
    await ok(['apply', '-f', '-'], manifest(ns));
    expect(await ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    const rs = await jsonOf<{ items: Named[] }>('get', 'rs', '-l', 'app=web');
    expect(rs.items).toHaveLength(1);
    const hash = rs.items[0]?.metadata.labels?.['pod-template-hash'];
    expect(rs.items[0]?.metadata.name).toBe(`web-${hash}`);

    const [victim] = await podNames();
    await ok(['delete', 'pod', victim ?? '', '-n', ns, '--wait=false']);
    await eventually(async () => {
      const names = await podNames();
      expect(names).toHaveLength(3);
      expect(names).not.toContain(victim);
    }, 3000);
    const described = await ok(['describe', 'deployment', 'web', '-n', ns]);
    expect(described).toMatch(/Available\s+True\s+MinimumReplicasAvailable/);
    expect(described).toMatch(/Scaled up replica set web-\w+ from 0 to 3/);
  });

  it('set image rolls out a new revision; history, undo and restart work', async () => {
    await ok(['set', 'image', 'deployment/web', 'web=nginx:1.28', '-n', ns]);
    expect(await ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s'])).toContain(
      'successfully rolled out',
    );
    const history = await ok(['rollout', 'history', 'deployment/web', '-n', ns]);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(/^1\s+<none>/m);
    expect(history).toMatch(/^2\s+<none>/m);
    expect(await ok(['rollout', 'history', 'deployment/web', '-n', ns, '--revision=1'])).toContain('nginx:1.27');

    expect(await ok(['rollout', 'undo', 'deployment/web', '-n', ns])).toMatch(/rolled back/);
    await ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
    const d = await jsonOf<{ spec: { template: { spec: { containers: Array<{ image: string }> } } } }>(
      'get',
      'deployment',
      'web',
    );
    expect(d.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
    expect(await ok(['rollout', 'history', 'deployment/web', '-n', ns])).toMatch(/^2\s+<none>\n3\s+<none>/m);

    expect(await ok(['rollout', 'restart', 'deployment/web', '-n', ns])).toContain('restarted');
    await ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
    expect(await ok(['rollout', 'history', 'deployment/web', '-n', ns])).toMatch(/^4\s+<none>/m);
  });

  it('scales, pauses and resumes', async () => {
    await ok(['scale', 'deployment/web', '--replicas=5', '-n', ns]);
    await ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
    expect(await podNames()).toHaveLength(5);
    await ok(['rollout', 'pause', 'deployment/web', '-n', ns]);
    await ok(['set', 'image', 'deployment/web', 'web=nginx:1.29', '-n', ns]);
    const paused = await k('rollout', 'undo', 'deployment/web', '-n', ns);
    expect(paused.code).not.toBe(0);
    expect(paused.stderr).toContain('you cannot rollback a paused deployment');
    await ok(['rollout', 'resume', 'deployment/web', '-n', ns]);
    await ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
    const columns = await ok(['get', 'deployment', 'web', '-n', ns, '--no-headers']);
    expect(columns).toMatch(/^web\s+5\/5\s+5\s+5\s/);
  });

  it('a ReplicationController keeps its pods', async () => {
    const rc = `
apiVersion: v1
kind: ReplicationController
metadata: { name: legacy, namespace: ${ns} }
spec:
  replicas: 2
  template:
    metadata: { labels: { app: legacy } }
    spec: { containers: [{ name: c, image: busybox }] }
`;
    await ok(['apply', '-f', '-'], rc);
    await eventually(async () => {
      expect(await ok(['get', 'rc', 'legacy', '-n', ns, '--no-headers'])).toMatch(/^legacy\s+2\s+2\s+2\s/);
    }, 3000);
  });
});
