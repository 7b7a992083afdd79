/** test/e2e/kubectl/kubectl.go: the kubectl client tests that need only kubectl and the API. */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { missingInOrder, startKubectlProxy } from '../../helpers/kubectl-output.ts';
import { agnhostImage, httpdImage, pauseImage, workload } from '../../helpers/objects.ts';
import { waitForRunningPods } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

const busyboxImage = 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1';
const agnhostLabels = { app: 'agnhost', role: 'primary' };

/** The agnhost primary controller and service of upstream's guestbook fixtures, created through kubectl. */
async function createAgnhostPrimary(ctx: ConformanceContext, withService: boolean) {
  const rc = {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'agnhost-primary', labels: agnhostLabels },
    spec: {
      replicas: 1,
      selector: agnhostLabels,
      template: {
        metadata: { labels: agnhostLabels },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'agnhost-primary',
              image: agnhostImage,
              args: ['guestbook', '--http-port', '6379'],
              ports: [{ name: 'agnhost-server', containerPort: 6379 }],
            },
          ],
        },
      },
    },
  };
  await ctx.kubectl(['create', '-f', '-'], { input: JSON.stringify(rc) });
  if (withService) {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'agnhost-primary', labels: agnhostLabels },
      spec: { ports: [{ port: 6379, targetPort: 'agnhost-server' }], selector: agnhostLabels },
    };
    await ctx.kubectl(['create', '-f', '-'], { input: JSON.stringify(service) });
  }
  return waitForRunningPods(ctx, agnhostLabels, 1);
}

/** `kubectl run <name> --image=httpd --labels=run=<name>` and wait for the pod to run. */
async function runHttpdPod(ctx: ConformanceContext, name: string) {
  await ctx.kubectl(['run', name, `--image=${httpdImage}`, '--pod-running-timeout=2m0s', `--labels=run=${name}`]);
  await waitForRunningPods(ctx, { run: name }, 1);
}

const images = (p: KubeObject) => (p.spec as { containers: Array<{ image: string }> }).containers.map((c) => c.image);

function expectOutput(output: string, required: readonly (readonly string[])[], what: string) {
  const missing = missingInOrder(output, required);
  assert.ok(!missing, `${what}: ${missing}\n${output}`);
}

/** GET /api through a proxy over HTTP or a unix socket; the body must list at least one version. */
function proxiedApiVersions(target: { port: number } | { socketPath: string }): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, host: '127.0.0.1', path: '/api/', method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => {
        try {
          resolve((JSON.parse(body) as { versions?: string[] }).versions ?? []);
        } catch (err) {
          reject(new Error(`proxy answered ${res.statusCode} with ${body.slice(0, 200)}: ${String(err)}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export const kubectlClientTests = [
  conformanceTest({
    codename: '[sig-cli] Kubectl client Kubectl label should update the label on a resource [Conformance]',
    area: 'core',
    needs: ['kubectl', 'patch', 'kubelet-sim'],
    async run(ctx) {
      const pausePod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'pause', labels: { name: 'pause' } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'pause', image: pauseImage }] },
      };
      await ctx.kubectl(['create', '-f', '-'], { input: JSON.stringify(pausePod) });
      await waitForRunningPods(ctx, { name: 'pause' }, 1);
      await ctx.kubectl(['label', 'pods', 'pause', 'testing-label=testing-label-value']);
      const labelled = await ctx.kubectl(['get', 'pod', 'pause', '-L', 'testing-label']);
      assert.ok(labelled.stdout.includes('testing-label-value'), `-L shows the label:\n${labelled.stdout}`);
      await ctx.kubectl(['label', 'pods', 'pause', 'testing-label-']);
      const unlabelled = await ctx.kubectl(['get', 'pod', 'pause', '-L', 'testing-label']);
      assert.ok(!unlabelled.stdout.includes('testing-label-value'), `label removed:\n${unlabelled.stdout}`);
    },
  }),
  conformanceTest({
    codename: '[sig-cli] Kubectl client Kubectl patch should add annotations for pods in rc [Conformance]',
    area: 'core',
    needs: ['kubectl', 'patch', 'rc-controller', 'kubelet-sim'],
    async run(ctx) {
      const running = await createAgnhostPrimary(ctx, false);
      for (const p of running)
        await ctx.kubectl(['patch', 'pod', p.metadata.name ?? '', '-p', '{"metadata":{"annotations":{"x":"y"}}}']);
      const pods = await ctx.client
        .resource(resources.pods)
        .list({ namespace: ctx.namespace, labelSelector: 'app=agnhost,role=primary' });
      assert.ok(pods.items.length > 0, 'the RC has pods');
      for (const p of pods.items) assert.equal(p.metadata.annotations?.x, 'y', `${p.metadata.name} annotated x=y`);
    },
  }),
  conformanceTest({
    codename: "[sig-cli] Kubectl client Kubectl replace should update a single-container pod's image [Conformance]",
    area: 'core',
    needs: ['kubectl', 'crud', 'kubelet-sim'],
    async run(ctx) {
      const name = 'e2e-test-httpd-pod';
      await runHttpdPod(ctx, name);
      const podJson = (await ctx.kubectl(['get', 'pod', name, '-o', 'json'])).stdout;
      assert.ok(podJson.includes(name), 'kubectl get -o json shows the pod');
      await ctx.kubectl(['replace', '-f', '-'], { input: podJson.replace(httpdImage, busyboxImage) });
      const replaced = await ctx.client.resource(resources.pods).get(name, ctx.namespace);
      assert.deepEqual(images(replaced), [busyboxImage]);
    },
  }),
  conformanceTest({
    codename:
      '[sig-cli] Kubectl client Kubectl run pod should create a pod from an image when restart is Never [Conformance]',
    area: 'core',
    needs: ['kubectl', 'crud'],
    async run(ctx) {
      const name = 'e2e-test-httpd-pod';
      await ctx.kubectl(['run', name, '--restart=Never', '--pod-running-timeout=2m0s', `--image=${httpdImage}`]);
      const created = await ctx.client.resource(resources.pods).get(name, ctx.namespace);
      assert.deepEqual(images(created), [httpdImage]);
      assert.equal((created.spec as { restartPolicy?: string }).restartPolicy, 'Never');
      await ctx.kubectl(['delete', 'pods', name]);
    },
  }),
  conformanceTest({
    codename:
      '[sig-cli] Kubectl client Kubectl server-side dry-run should check if kubectl can dry-run update Pods [Conformance]',
    area: 'apimachinery',
    needs: ['kubectl', 'dry-run', 'patch'],
    async run(ctx) {
      const name = 'e2e-test-httpd-pod';
      await runHttpdPod(ctx, name);
      const patch = JSON.stringify({ spec: { containers: [{ name, image: busyboxImage }] } });
      await ctx.kubectl(['patch', 'pod', name, '-p', patch, '--dry-run=server']);
      const stored = await ctx.client.resource(resources.pods).get(name, ctx.namespace);
      assert.deepEqual(images(stored), [httpdImage], 'a server-side dry run leaves the stored image alone');
      await ctx.kubectl(['delete', 'pods', name]);
    },
  }),
  conformanceTest({
    codename:
      '[sig-cli] Kubectl client Kubectl diff should check if kubectl diff finds a difference for Deployments [Conformance]',
    area: 'apimachinery',
    needs: ['kubectl', 'dry-run', 'ssa'],
    async run(ctx) {
      const deployment = workload('Deployment', 'httpd-deployment', {
        replicas: 2,
        selector: { app: 'httpd' },
        image: httpdImage,
      });
      const manifest = JSON.stringify(deployment);
      await ctx.kubectl(['create', '-f', '-'], { input: manifest });
      const changed = manifest.replace(httpdImage, busyboxImage);
      // kubectl diff exits 1 when it finds a difference, as here.
      const diff = await ctx.kubectl(['diff', '-f', '-'], { input: changed, allowFailure: true });
      assert.equal(diff.code, 1, `kubectl diff exit code (stderr: ${diff.stderr.trim()})`);
      for (const image of [httpdImage, busyboxImage])
        assert.ok(diff.stdout.includes(image), `diff output names ${image}:\n${diff.stdout}`);
      await ctx.kubectl(['delete', '-f', '-'], { input: changed });
    },
  }),
  conformanceTest({
    codename:
      '[sig-cli] Kubectl client Kubectl describe should check if kubectl describe prints relevant information for rc and pods [Conformance]',
    area: 'core',
    needs: ['kubectl', 'rc-controller', 'kubelet-sim', 'events', 'service-ipalloc'],
    timeoutMs: 90_000,
    async run(ctx) {
      const ns = ctx.namespace;
      const running = await createAgnhostPrimary(ctx, true);
      for (const p of running) {
        const { stdout } = await ctx.kubectl(['describe', 'pod', p.metadata.name ?? '']);
        expectOutput(
          stdout,
          [
            ['Name:', 'agnhost-primary-'],
            ['Namespace:', ns],
            ['Node:'],
            ['Labels:', 'app=agnhost'],
            ['role=primary'],
            ['Annotations:'],
            ['Status:', 'Running'],
            ['IP:'],
            ['Controlled By:', 'ReplicationController/agnhost-primary'],
            ['Image:', agnhostImage],
            ['State:', 'Running'],
            ['QoS Class:', 'BestEffort'],
          ],
          'describe pod',
        );
      }
      // The RC's status catches up with its pod a moment later, so retry as upstream does.
      await eventually(
        async () =>
          expectOutput(
            (await ctx.kubectl(['describe', 'rc', 'agnhost-primary'])).stdout,
            [
              ['Name:', 'agnhost-primary'],
              ['Namespace:', ns],
              ['Selector:', 'app=agnhost,role=primary'],
              ['Labels:', 'app=agnhost'],
              ['role=primary'],
              ['Annotations:'],
              ['Replicas:', '1 current', '1 desired'],
              ['Pods Status:', '1 Running', '0 Waiting', '0 Succeeded', '0 Failed'],
              ['Pod Template:'],
              ['Image:', agnhostImage],
              ['Events:'],
            ],
            'describe rc',
          ),
        { what: 'describe rc', signal: ctx.signal },
      );
      expectOutput(
        (await ctx.kubectl(['describe', 'service', 'agnhost-primary'])).stdout,
        [
          ['Name:', 'agnhost-primary'],
          ['Namespace:', ns],
          ['Labels:', 'app=agnhost'],
          ['role=primary'],
          ['Annotations:'],
          ['Selector:', 'app=agnhost', 'role=primary'],
          ['Type:', 'ClusterIP'],
          ['IP:'],
          ['Port:', '<unset>', '6379/TCP'],
          ['Endpoints:'],
          ['Session Affinity:', 'None'],
        ],
        'describe service',
      );
      const [node] = (await ctx.client.resource(resources.nodes).list()).items;
      assert.ok(node, 'the cluster has a node');
      expectOutput(
        (await ctx.kubectl(['describe', 'node', node.metadata.name ?? ''])).stdout,
        [
          ['Name:', node.metadata.name ?? ''],
          ['Labels:'],
          ['Annotations:'],
          ['CreationTimestamp:'],
          ['Conditions:'],
          ['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'],
          ['Addresses:'],
          ['Capacity:'],
          ['Version:'],
          ['Kernel Version:'],
          ['OS Image:'],
          ['Container Runtime Version:'],
          ['Kubelet Version:'],
          ['Kube-Proxy Version:'],
          ['Pods:'],
        ],
        'describe node',
      );
      expectOutput(
        (await ctx.kubectl(['describe', 'namespace', ns])).stdout,
        [['Name:', ns], ['Labels:'], ['Annotations:'], ['Status:', 'Active']],
        'describe namespace',
      );
    },
  }),
  conformanceTest({
    codename: '[sig-cli] Kubectl client Proxy server should support proxy with --port 0 [Conformance]',
    area: 'apimachinery',
    needs: ['kubectl', 'discovery'],
    async run(ctx) {
      const { firstLine } = await startKubectlProxy(ctx, ['--port=0', '--disable-filter']);
      const port = Number(/:(\d+)\s*$/.exec(firstLine)?.[1]);
      assert.ok(port > 0, `proxy says where it serves: ${firstLine}`);
      const versions = await proxiedApiVersions({ port });
      assert.ok(versions.length >= 1, `at least one API version through the proxy, got ${JSON.stringify(versions)}`);
    },
  }),
  conformanceTest({
    codename: '[sig-cli] Kubectl client Proxy server should support --unix-socket=/path [Conformance]',
    area: 'apimachinery',
    needs: ['kubectl', 'discovery'],
    async run(ctx) {
      const dir = await mkdtemp(join(tmpdir(), 'kubectl-proxy-unix-'));
      ctx.defer(() => rm(dir, { recursive: true, force: true }));
      const socketPath = join(dir, 'test');
      await startKubectlProxy(ctx, [`--unix-socket=${socketPath}`]);
      const versions = await proxiedApiVersions({ socketPath });
      assert.ok(versions.length >= 1, `at least one API version through the socket, got ${JSON.stringify(versions)}`);
    },
  }),
];
