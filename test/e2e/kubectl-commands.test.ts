/**
 * The everyday kubectl commands, through real kubectl binaries of four versions against `wharf up`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlStream } from '../support/kubectl.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { discoveryTrouble, e2eVersions } from './versions.ts';

let wharf: Wharf;
beforeAll(async () => {
  wharf = await startWharf();
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

describe.each(e2eVersions)('kubectl %s', (version) => {
  const k = (...args: string[]) => kubectl(version, args, { kubeconfig: wharf.kubeconfig });
  const ok = async (...args: string[]) => {
    const result = await k(...args);
    expect(result.stderr, `kubectl ${args.join(' ')}`).not.toMatch(discoveryTrouble);
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const minor = Number(version.split('.')[1]);
  const ns = `cmd-${minor}`;

  it('version reports the server version, warning only about a skew beyond one minor', async () => {
    const result = await k('version', '-o', 'json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { serverVersion: { gitVersion: string; major: string; minor: string } };
    expect(parsed.serverVersion).toMatchObject({ gitVersion: 'v1.33.0-wharf', major: '1', minor: '33' });
    if (Math.abs(minor - 33) > 1) expect(result.stderr).toMatch(/version difference/);
    else expect(result.stderr).toBe('');
  });

  it('api-versions and api-resources list the groups without discovery warnings', async () => {
    const versions = await k('api-versions');
    expect(versions.stderr).toBe('');
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1', 'apiextensions.k8s.io/v1']) {
      expect(versions.stdout.split('\n')).toContain(gv);
    }
    const resources = await k('api-resources');
    expect(resources.stderr).toBe('');
    expect(resources.code).toBe(0);
    expect(resources.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources.stdout).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
  });

  it('cluster-info names the control plane URL', async () => {
    // kubectl colours the names; strip the ANSI escapes before reading the line.
    const text = (await ok('cluster-info')).replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
    expect(text).toContain(`Kubernetes control plane is running at ${wharf.url}`);
  });

  it('get --raw reaches non-resource and resource paths', async () => {
    expect(await ok('get', '--raw', '/readyz')).toBe('ok');
    expect(await ok('get', '--raw', '/livez?verbose')).toMatch(/livez check passed/);
    const list = JSON.parse(await ok('get', '--raw', '/api/v1/namespaces')) as { kind: string; items: unknown[] };
    expect(list.kind).toBe('NamespaceList');
  });

  it('creates, reads, labels, annotates and deletes a pod in a new namespace', async () => {
    expect(await ok('create', 'namespace', ns)).toBe(`namespace/${ns} created\n`);
    expect(await ok('run', 'web', '-n', ns, '--image=nginx:1.27', '--labels=app=web')).toBe('pod/web created\n');
    expect(await ok('get', 'pods', '-n', ns)).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb\s+/);
    expect(await ok('get', 'pod', 'web', '-n', ns, '-o', 'wide')).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/,
    );
    expect(await ok('get', 'pod', 'web', '-n', ns, '-o', 'name')).toBe('pod/web\n');
    expect(await ok('get', 'pod', 'web', '-n', ns, '-o', 'jsonpath={.metadata.labels.app}')).toBe('web');
    expect(
      await ok(
        'get',
        'pod',
        'web',
        '-n',
        ns,
        '-o',
        'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image',
      ),
    ).toMatch(/^NAME\s+IMAGE\nweb\s+nginx:1\.27\n$/);
    const json = JSON.parse(await ok('get', 'pod', 'web', '-n', ns, '-o', 'json')) as {
      kind: string;
      metadata: { uid: string };
    };
    expect(json.kind).toBe('Pod');
    expect(json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await ok('get', 'pod', 'web', '-n', ns, '-o', 'yaml')).toMatch(/^apiVersion: v1\nkind: Pod\n/);
    expect(await ok('label', 'pod', 'web', '-n', ns, 'tier=front')).toBe('pod/web labeled\n');
    expect(await ok('get', 'pods', '-n', ns, '-l', 'tier=front', '-o', 'name')).toBe('pod/web\n');
    // kubectl 1.27 itself prints "annotate" (fixed in 1.28).
    expect(await ok('annotate', 'pod', 'web', '-n', ns, 'note=hello')).toMatch(/^pod\/web annotated?\n$/);
    expect(await ok('describe', 'pod', 'web', '-n', ns)).toMatch(/^Name:\s+web\nNamespace:\s+cmd-\d+\n/);
    expect(await ok('get', 'pods', '--all-namespaces')).toMatch(new RegExp(`^${ns}\\s+web\\s+`, 'm'));
    expect(await ok('run', 'api', '-n', ns, '--image=nginx:1.27')).toBe('pod/api created\n');
    // --sort-by decodes each row's object on its own, which needs their kind and apiVersion.
    expect(await ok('get', 'pods', '-n', ns, '--sort-by=.metadata.name')).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\napi\s+\S+\s+\S+\s+\d+\s+\S+\nweb\s+/,
    );
    const deleted = await ok('delete', 'pod', 'web', '-n', ns, '--grace-period=0', '--force');
    expect(deleted).toMatch(/pod "web" (force )?deleted/);
    const missing = await k('get', 'pod', 'web', '-n', ns);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "web" not found');
  });

  it('get -w prints objects as they are created', async () => {
    const watch = kubectlStream(version, ['get', 'configmaps', '-n', ns, '-w', '-o', 'name'], {
      kubeconfig: wharf.kubeconfig,
    });
    try {
      await watch.waitFor(/kube-root-ca\.crt|^$/m).catch(() => undefined);
      await ok('create', 'configmap', 'watched', '-n', ns, '--from-literal=a=b');
      expect(await watch.waitFor(/configmap\/watched/)).toContain('configmap/watched');
    } finally {
      await watch.stop();
    }
  });

  it('answers a missing object with the NotFound message kubectl users know', async () => {
    const result = await k('get', 'deployment', 'nope');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });
});
