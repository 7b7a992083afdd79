/** test/e2e/apimachinery/discovery.go, aggregated_discovery.go, server_version.go and friends. */
import { eventually } from '../../eventually.ts';
import { expectDiscovered } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { createCrd } from '../../helpers/crd.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

interface APIGroupList {
  groups: Array<{
    name: string;
    versions: Array<{ groupVersion: string; version: string }>;
    preferredVersion?: { groupVersion: string; version: string };
  }>;
}
interface DiscoveryList {
  kind: string;
  apiVersion: string;
  items: Array<{
    metadata: { name?: string };
    versions: Array<{ version: string; resources: Array<{ resource: string }> }>;
  }>;
}
const aggregatedAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

async function aggregated(ctx: ConformanceContext, path: '/api' | '/apis'): Promise<DiscoveryList> {
  const response = await ctx.api.request({ path, headers: { Accept: aggregatedAccept } });
  assert.equal(response.status, 200, `${path}: HTTP ${response.status}`);
  const contentType = response.headers.get('content-type') ?? '';
  assert.match(
    contentType,
    /g=apidiscovery\.k8s\.io;\s*v=v2;\s*as=APIGroupDiscoveryList/,
    `${path} content type ${contentType}`,
  );
  const list = response.json<DiscoveryList>();
  assert.equal(list.kind, 'APIGroupDiscoveryList');
  assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2');
  return list;
}

const hasResource = (list: DiscoveryList, group: string, version: string, resource: string) =>
  list.items.some(
    (g) =>
      (g.metadata.name ?? '') === group &&
      g.versions.some((v) => v.version === version && v.resources.some((r) => r.resource === resource)),
  );

export const discoveryTests = [
  conformanceTest({
    codename: '[sig-api-machinery] Discovery should validate PreferredVersion for each APIGroup [Conformance]',
    area: 'apimachinery',
    needs: ['discovery'],
    async run(ctx) {
      const list = await ctx.api.getJson<APIGroupList>('/apis');
      assert.ok(list.groups.length > 0, '/apis lists groups');
      // Other tests create and delete CRD groups concurrently; check the groups that stay.
      const builtIn = list.groups.filter((g) => !g.name.endsWith('.example.com'));
      for (const g of builtIn) {
        assert.ok(g.preferredVersion, `${g.name} has a preferredVersion`);
        assert.ok(
          g.versions.some((v) => v.groupVersion === g.preferredVersion?.groupVersion),
          `${g.name} preferred version is served`,
        );
        const doc = await ctx.api.getJson<APIGroupList['groups'][number]>(`/apis/${g.name}`);
        assert.deepEqual(doc.preferredVersion, g.preferredVersion, `/apis/${g.name} agrees on the preferred version`);
      }
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Discovery should locate the groupVersion and a resource within each APIGroup [Conformance]',
    area: 'apimachinery',
    needs: ['discovery'],
    async run(ctx) {
      const list = await ctx.api.getJson<APIGroupList>('/apis');
      for (const g of list.groups.filter((x) => !x.name.endsWith('.example.com'))) {
        for (const v of g.versions) {
          const doc = await ctx.api.getJson<{ groupVersion: string; resources: unknown[] }>(`/apis/${v.groupVersion}`);
          assert.equal(doc.groupVersion, v.groupVersion);
          assert.ok(doc.resources.length > 0, `${v.groupVersion} lists a resource`);
        }
      }
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] server version should find the server version [Conformance]',
    area: 'apimachinery',
    needs: ['discovery'],
    async run(ctx) {
      const version = await ctx.api.getJson<Record<string, string>>('/version');
      for (const field of ['major', 'minor', 'gitVersion', 'gitCommit', 'platform', 'goVersion']) {
        assert.ok(typeof version[field] === 'string', `/version has ${field}`);
      }
      assert.match(version.gitVersion ?? '', /^v\d+\.\d+\.\d+/);
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] AdmissionWebhook [Privileged:ClusterAdmin] should include webhook resources in discovery documents [Conformance]',
    area: 'apimachinery',
    needs: ['discovery'],
    async run(ctx) {
      const ref = { group: 'admissionregistration.k8s.io', version: 'v1', kind: '', namespaced: false };
      await expectDiscovered(ctx, { ...ref, plural: 'mutatingwebhookconfigurations' }, false);
      await expectDiscovered(ctx, { ...ref, plural: 'validatingwebhookconfigurations' }, false);
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin] should include custom resource definition resources in discovery documents [Conformance]',
    area: 'apimachinery',
    needs: ['discovery', 'crd'],
    run: (ctx) =>
      expectDiscovered(
        ctx,
        {
          group: 'apiextensions.k8s.io',
          version: 'v1',
          kind: '',
          plural: 'customresourcedefinitions',
          namespaced: false,
        },
        true,
      ),
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] AggregatedDiscovery should support raw aggregated discovery endpoint Accept headers [Conformance]',
    area: 'apimachinery',
    needs: ['discovery', 'aggregated-discovery', 'content-negotiation'],
    async run(ctx) {
      assert.ok(hasResource(await aggregated(ctx, '/api'), '', 'v1', 'pods'), '/api lists pods');
      const apis = await aggregated(ctx, '/apis');
      assert.ok(hasResource(apis, 'apps', 'v1', 'deployments'), '/apis lists apps/v1 deployments');
      assert.ok(hasResource(apis, 'batch', 'v1', 'jobs'), '/apis lists batch/v1 jobs');
    },
  }),
  conformanceTest({
    codename: '[sig-api-machinery] AggregatedDiscovery should support aggregated discovery interface [Conformance]',
    area: 'apimachinery',
    needs: ['discovery', 'aggregated-discovery'],
    async run(ctx) {
      const apis = await aggregated(ctx, '/apis');
      const core = await aggregated(ctx, '/api');
      const legacy = await ctx.client.serverResources();
      // Other tests create and delete CRD groups concurrently; check the built-in groups.
      for (const r of legacy.resources.filter((x) => !x.group.endsWith('.example.com'))) {
        const list = r.group ? apis : core;
        assert.ok(
          hasResource(list, r.group, r.version, r.plural),
          `aggregated discovery lists ${r.group}/${r.version} ${r.plural}`,
        );
      }
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] AggregatedDiscovery should support raw aggregated discovery request for CRDs [Conformance]',
    area: 'apimachinery',
    needs: ['discovery', 'aggregated-discovery', 'content-negotiation', 'crd'],
    async run(ctx) {
      const crd = await createCrd(ctx);
      await eventually(
        async () => assert.ok(hasResource(await aggregated(ctx, '/apis'), crd.group, 'v1', crd.plural), 'CRD listed'),
        {
          what: 'CRD in aggregated discovery',
          signal: ctx.signal,
        },
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] AggregatedDiscovery should support aggregated discovery interface for CRDs [Conformance]',
    area: 'apimachinery',
    needs: ['discovery', 'aggregated-discovery', 'crd'],
    async run(ctx) {
      const crd = await createCrd(ctx);
      await eventually(
        async () => {
          const list = await aggregated(ctx, '/apis');
          const group = list.items.find((g) => g.metadata.name === crd.group);
          assert.ok(group, 'group listed');
          assert.equal(group.versions[0]?.version, 'v1');
          assert.ok(hasResource(list, crd.group, 'v1', crd.plural), 'aggregated discovery lists the CRD resource');
        },
        { what: 'CRD group in aggregated discovery', signal: ctx.signal },
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] Servers with support for Table transformation should return a 406 for a backend which does not implement metadata [Conformance]',
    area: 'apimachinery',
    needs: ['content-negotiation'],
    async run(ctx) {
      // Status objects ("get" on a non-list, non-object backend) have no table conversion.
      const response = await ctx.api.request({
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        method: 'POST',
        headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
        },
      });
      assert.equal(response.status, 406, `HTTP ${response.status}: ${response.text.slice(0, 200)}`);
    },
  }),
];
