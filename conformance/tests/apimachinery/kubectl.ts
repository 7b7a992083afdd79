/** test/e2e/kubectl/kubectl.go: the discovery-only kubectl checks. */
import assert from '../../helpers/assert.ts';
import { conformanceTest } from '../../suite.ts';

export const kubectlDiscoveryTests = [
  conformanceTest({
    codename:
      '[sig-cli] Kubectl client Kubectl api-versions should check if v1 is in available api versions [Conformance]',
    area: 'apimachinery',
    needs: ['kubectl', 'discovery'],
    async run(ctx) {
      const { stdout } = await ctx.kubectl(['api-versions']);
      assert.ok(stdout.split('\n').includes('v1'), `v1 in:\n${stdout}`);
    },
  }),
  conformanceTest({
    codename: '[sig-cli] Kubectl client Kubectl version should check is all data is printed [Conformance]',
    area: 'apimachinery',
    needs: ['kubectl', 'discovery'],
    async run(ctx) {
      const { stdout } = await ctx.kubectl(['version']);
      assert.match(stdout, /Client Version:/);
      assert.match(stdout, /Server Version:/);
    },
  }),
  conformanceTest({
    codename:
      '[sig-cli] Kubectl client Kubectl cluster-info should check if Kubernetes control plane services is included in cluster-info [Conformance]',
    area: 'apimachinery',
    needs: ['kubectl', 'discovery'],
    async run(ctx) {
      const { stdout } = await ctx.kubectl(['cluster-info']);
      assert.match(stdout, /Kubernetes control plane/);
    },
  }),
];
