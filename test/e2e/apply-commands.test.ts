/**
 * The kubectl commands that write objects besides apply/patch — apply --prune, replace (and --force),
 * set image/env/resources, label and annotate — and what a real cluster stores for each (values and
 * managedFields entries), plus --dry-run=server for every write and the Warning headers kubectl prints.
 * Through real kubectl 1.27, 1.32 and 1.35.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlStream } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import type { KubectlVersion } from '../support/tools.ts';

const versions: readonly KubectlVersion[] = ['1.27', '1.32', '1.35'];

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf({ nodes: 1 });
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

interface Entry {
  manager: string;
  operation: string;
  subresource?: string;
}
interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string } } }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}
interface Stored {
  metadata: {
    uid: string;
    resourceVersion: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: Entry[];
  };
  spec: { replicas: number; template: { spec: { containers: Container[] } } };
  data?: Record<string, string>;
}

function deployment(name: string, namespace: string, image = 'nginx:1.25', env = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}, labels: {app: ${name}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: ${image}
${env}`;
}

const configMap = (name: string, namespace: string, labels: string, data = 'a: "1"') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${namespace}, labels: {${labels}}}\ndata: {${data}}\n`;

/** The manager/operation pairs of an object's managedFields, sorted. */
const managers = (o: Stored) =>
  (o.metadata.managedFields ?? [])
    .map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`)
    .sort();

describe.each(versions)('kubectl %s', (version) => {
  const ns = `cmds-${version.replace('.', '-')}`;
  const k = (args: string[], input?: string) =>
    kubectl(version, args, { kubeconfig: wharf.kubeconfig, ...(input !== undefined ? { input } : {}) });
  const ok = async (args: string[], input?: string) => {
    const result = await k(args, input);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };
  const get = async (kind: string, name: string) =>
    JSON.parse((await ok(['-n', ns, 'get', kind, name, '-o', 'json', '--show-managed-fields'])).stdout) as Stored;
  const web = async (name: string) => (await get('deployment', name)).spec.template.spec.containers[0] as Container;

  beforeAll(async () => {
    await ok(['create', 'namespace', ns]);
  });

  it('apply --prune -l deletes applied objects with the label that left the manifest set, and nothing else', async () => {
    const set = 'part-of: prune-set';
    const both = `${configMap('keep', ns, set)}---\n${configMap('gone', ns, set)}`;
    // 1.27 still spells the type list --prune-whitelist; later versions only --prune-allowlist.
    const allow = version === '1.27' ? '--prune-whitelist=core/v1/ConfigMap' : '--prune-allowlist=core/v1/ConfigMap';
    await ok(['-n', ns, 'apply', '--prune', '-l', 'part-of=prune-set', allow, '-f', '-'], both);
    await ok(['-n', ns, 'apply', '-f', '-'], configMap('other-set', ns, 'part-of: another'));
    await ok(['-n', ns, 'create', 'configmap', 'created-not-applied']);
    await ok(['-n', ns, 'label', 'configmap', 'created-not-applied', 'part-of=prune-set']);
    const pruned = await ok(
      ['-n', ns, 'apply', '--prune', '-l', 'part-of=prune-set', '-f', '-'],
      configMap('keep', ns, set),
    );
    expect(pruned.stdout).toMatch(/configmap\/gone pruned/);
    expect(pruned.stdout).not.toMatch(/other-set|created-not-applied/);
    const left = (await ok(['-n', ns, 'get', 'configmaps', '-o', 'name'])).stdout;
    expect(left).toMatch(/configmap\/keep\n/);
    expect(left).toMatch(/configmap\/other-set\n/);
    expect(left).toMatch(/configmap\/created-not-applied\n/);
    expect(left).not.toMatch(/configmap\/gone\n/);
  });

  it('replace -f stores the manifest as sent; replace --force recreates the object', async () => {
    await ok(['-n', ns, 'apply', '-f', '-'], configMap('rep', ns, 'x: "1"', 'a: "1", b: "2"'));
    const before = await get('configmap', 'rep');
    const replaced = await ok(['-n', ns, 'replace', '-f', '-'], configMap('rep', ns, 'ver: "2"', 'c: "3"'));
    expect(replaced.stdout).toMatch(/configmap\/rep replaced/);
    const after = await get('configmap', 'rep');
    expect(after.data).toEqual({ c: '3' });
    expect(after.metadata.labels).toEqual({ ver: '2' });
    expect(after.metadata.uid).toBe(before.metadata.uid);
    // The manifest carries no annotations, so replace drops kubectl's last-applied one too.
    expect(after.metadata.annotations).toBeUndefined();
    expect(managers(after)).toEqual(['kubectl-client-side-apply/Update', 'kubectl-replace/Update']);
    // A manifest naming an old resourceVersion is refused, as on any cluster.
    const stale = configMap('rep', ns, 'ver: "2"', 'c: "stale"').replace(
      'metadata: {',
      `metadata: {resourceVersion: "${before.metadata.resourceVersion}", `,
    );
    const refused = await k(['-n', ns, 'replace', '-f', '-'], stale);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Operation cannot be fulfilled on configmaps "rep": the object has been modified; please apply your changes to the latest version and try again/,
    );
    const forced = await ok(['-n', ns, 'replace', '--force', '-f', '-'], configMap('rep', ns, 'ver: "3"', 'd: "4"'));
    expect(forced.stdout).toMatch(/configmap "rep" deleted/);
    expect(forced.stdout).toMatch(/configmap\/rep replaced/);
    const recreated = await get('configmap', 'rep');
    expect(recreated.metadata.uid).not.toBe(before.metadata.uid);
    expect(recreated.data).toEqual({ d: '4' });
    expect(managers(recreated)).toEqual(['kubectl-replace/Update']);
  });

  it('set image, set env and set resources change the container and record kubectl-set', async () => {
    await ok(['-n', ns, 'apply', '-f', '-'], deployment('sets', ns));
    await ok(['-n', ns, 'create', 'configmap', 'envsrc', '--from-literal=COLOR=blue', '--from-literal=SIZE=9']);
    await ok(['-n', ns, 'set', 'image', 'deployment/sets', 'web=nginx:1.27']);
    expect((await web('sets')).image).toBe('nginx:1.27');
    await ok(['-n', ns, 'set', 'env', 'deployment/sets', 'A=1', 'B=2']);
    expect((await web('sets')).env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    await ok(['-n', ns, 'set', 'env', 'deployment/sets', 'A=changed', 'B-']);
    expect((await web('sets')).env).toEqual([{ name: 'A', value: 'changed' }]);
    await ok(['-n', ns, 'set', 'env', 'deployment/sets', '--from=configmap/envsrc']);
    // kubectl adds a ConfigMap's keys in map order, which varies from run to run.
    const fromConfigMap = (await web('sets')).env?.sort((a, b) => a.name.localeCompare(b.name));
    expect(fromConfigMap).toEqual([
      { name: 'A', value: 'changed' },
      { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'envsrc', key: 'COLOR' } } },
      { name: 'SIZE', valueFrom: { configMapKeyRef: { name: 'envsrc', key: 'SIZE' } } },
    ]);
    await ok([
      '-n',
      ns,
      'set',
      'resources',
      'deployment/sets',
      '--limits=cpu=200m,memory=512Mi',
      '--requests=cpu=100m',
    ]);
    expect((await web('sets')).resources).toEqual({
      limits: { cpu: '200m', memory: '512Mi' },
      requests: { cpu: '100m' },
    });
    const stored = await get('deployment', 'sets');
    expect(managers(stored).filter((m) => !m.startsWith('kube-controller-manager'))).toEqual([
      'kubectl-client-side-apply/Update',
      'kubectl-set/Update',
    ]);
  });

  it('label and annotate refuse to change a value without --overwrite and record their own managers', async () => {
    await ok(['-n', ns, 'apply', '--server-side', '-f', '-'], configMap('marks', ns, 'team: blue'));
    const refused = await k(['-n', ns, 'label', 'configmap', 'marks', 'team=red']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/'team' already has a value \(blue\), and --overwrite is false/);
    await ok(['-n', ns, 'label', 'configmap', 'marks', 'team=red', '--overwrite']);
    await ok(['-n', ns, 'annotate', 'configmap', 'marks', 'note=one']);
    const refusedNote = await k(['-n', ns, 'annotate', 'configmap', 'marks', 'note=two']);
    expect(refusedNote.code).toBe(1);
    expect(refusedNote.stderr).toMatch(
      /--overwrite is false but found the following declared annotation\(s\): 'note' already has a value \(one\)/,
    );
    await ok(['-n', ns, 'annotate', 'configmap', 'marks', 'note=two', '--overwrite']);
    await ok(['-n', ns, 'label', 'configmap', 'marks', 'extra=1']);
    await ok(['-n', ns, 'label', 'configmap', 'marks', 'extra-']);
    const stored = await get('configmap', 'marks');
    expect(stored.metadata.labels).toEqual({ team: 'red' });
    expect(stored.metadata.annotations).toEqual({ note: 'two' });
    expect(managers(stored)).toEqual(['kubectl-annotate/Update', 'kubectl-label/Update', 'kubectl/Apply']);
    // A dump from get carries managedFields, which server-side apply refuses to take from a client.
    const dump = (await ok(['-n', ns, 'get', 'configmap', 'marks', '-o', 'yaml', '--show-managed-fields'])).stdout;
    const reapplied = await k(['apply', '--server-side', '-f', '-'], dump);
    expect(reapplied.code).toBe(1);
    expect(reapplied.stderr).toMatch(/metadata\.managedFields must be nil/);
  });

  it('--dry-run=server answers with the would-be object and neither stores nor announces it', async () => {
    const watch = kubectlStream(version, ['-n', ns, 'get', 'configmaps', '-w', '--output-watch-events'], {
      kubeconfig: wharf.kubeconfig,
    });
    try {
      const created = JSON.parse(
        (await ok(['-n', ns, 'create', 'configmap', 'dry', '--from-literal=a=1', '--dry-run=server', '-o', 'json']))
          .stdout,
      ) as Stored;
      expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(created.data).toEqual({ a: '1' });
      expect((await k(['-n', ns, 'get', 'configmap', 'dry'])).stderr).toMatch(/NotFound|not found/);

      const csa = await ok(
        ['-n', ns, 'apply', '--dry-run=server', '-o', 'json', '-f', '-'],
        configMap('dry', ns, 'x: "1"'),
      );
      expect((JSON.parse(csa.stdout) as Stored).metadata.uid).toBeDefined();
      const ssa = await ok(
        ['-n', ns, 'apply', '--server-side', '--dry-run=server', '--show-managed-fields', '-o', 'json', '-f', '-'],
        configMap('dry', ns, 'x: "1"'),
      );
      expect(managers(JSON.parse(ssa.stdout) as Stored)).toEqual(['kubectl/Apply']);
      expect((await k(['-n', ns, 'get', 'configmap', 'dry'])).code).toBe(1);

      await ok(['-n', ns, 'apply', '-f', '-'], configMap('wet', ns, 'x: "1"'));
      const before = await get('configmap', 'wet');
      const changes: [string[], string | undefined][] = [
        [['apply', '-f', '-'], configMap('wet', ns, 'x: "1"', 'a: "applied"')],
        [['apply', '--server-side', '--force-conflicts', '-f', '-'], configMap('wet', ns, 'x: "1"', 'a: "ssa"')],
        [['patch', 'configmap', 'wet', '-p', '{"data":{"a":"patched"}}'], undefined],
        [
          ['patch', 'configmap', 'wet', '--type=json', '-p', '[{"op":"add","path":"/data/a","value":"json"}]'],
          undefined,
        ],
        [['replace', '-f', '-'], configMap('wet', ns, 'x: "1"', 'a: "replaced"')],
      ];
      for (const [args, input] of changes) {
        const out = await ok(['-n', ns, ...args, '--dry-run=server', '-o', 'json'], input);
        const wouldBe = JSON.parse(out.stdout) as Stored;
        expect(wouldBe.data?.a, args.join(' ')).toMatch(/applied|ssa|patched|json|replaced/);
      }
      const deleted = await ok(['-n', ns, 'delete', 'configmap', 'wet', '--dry-run=server']);
      expect(deleted.stdout).toMatch(/configmap "wet" deleted( from \S+ namespace)? \(server dry run\)/);
      const diff = await k(['-n', ns, 'diff', '-f', '-'], configMap('wet', ns, 'x: "1"', 'a: "diffed"'));
      expect(diff.code).toBe(1);
      expect(diff.stdout).toMatch(/\+\s+a: diffed/);
      const ssaDiff = await k(
        ['-n', ns, 'diff', '--server-side', '--force-conflicts', '-f', '-'],
        configMap('wet', ns, 'x: "1"', 'a: "ssa-diff"'),
      );
      expect(ssaDiff.code, ssaDiff.stderr).toBe(1);
      expect(ssaDiff.stdout).toMatch(/\+\s+a: ssa-diff/);
      const after = await get('configmap', 'wet');
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(after.data).toEqual({ a: '1' });

      // A real write after the dry runs: the watch sees it, and saw none of them.
      await ok(['-n', ns, 'create', 'configmap', 'marker']);
      const seen = await watch.waitFor(/ADDED\s+marker\s/);
      expect(seen).toMatch(/ADDED\s+wet\s/);
      expect(seen).not.toMatch(/\sdry\s/);
      expect(seen).not.toMatch(/MODIFIED\s+wet\s|DELETED\s+wet\s/);
    } finally {
      await watch.stop();
    }
  });

  it('prints the Warning headers the server sends', async () => {
    const env = '        env:\n        - {name: X, value: "1"}\n        - {name: X, value: "2"}\n';
    const dupEnv = await ok(['apply', '-f', '-'], deployment('warned', ns, 'nginx:1.25', env));
    expect(dupEnv.stderr).toContain(
      'Warning: spec.template.spec.containers[0].env[1]: hides previous definition of "X", which may be dropped when using apply',
    );
    const labels = deployment('old-labels', ns).replace(
      '    spec:\n',
      '    spec:\n      nodeSelector: {beta.kubernetes.io/os: linux}\n',
    );
    const oldLabels = await ok(['apply', '--server-side', '-f', '-'], labels);
    expect(oldLabels.stderr).toContain(
      'Warning: spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
    );
    const unknown = await ok(
      ['create', '--validate=warn', '-f', '-'],
      `${configMap('unknown-field', ns, 'x: "1"')}bogus: 1\n`,
    );
    expect(unknown.stderr).toMatch(/Warning: unknown field "bogus"/);
    const group = `v${version.replace('.', '')}.example.com`;
    await ok(
      ['apply', '-f', '-'],
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gizmos.${group}}
spec:
  group: ${group}
  scope: Namespaced
  names: {kind: Gizmo, plural: gizmos, singular: gizmo, listKind: GizmoList}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`,
    );
    await ok(['wait', '--for=condition=Established', `crd/gizmos.${group}`]);
    const gizmo = await ok(
      ['apply', '-f', '-'],
      `apiVersion: ${group}/v1\nkind: Gizmo\nmetadata: {name: g, namespace: ${ns}, finalizers: [cleanup, example.com/fine]}\n`,
    );
    expect(gizmo.stderr).toContain(
      'Warning: metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers',
    );
    expect(gizmo.stderr).not.toMatch(/example\.com\/fine/);
    // The unchanged template of a scaled Deployment is not re-checked.
    const scaled = await ok(['-n', ns, 'label', 'deployment', 'warned', 'extra=1']);
    expect(scaled.stderr).not.toMatch(/Warning/);
  });
});
