/** test/e2e/network/endpointslice.go and service.go: API-side service and endpoint behaviour. */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { pod, service } from '../../helpers/objects.ts';
import { waitForRunningPods } from '../../helpers/workloads.ts';
import { conformanceTest } from '../../suite.ts';

const endpointIps = (o: KubeObject) =>
  ((o.subsets as Array<{ addresses?: Array<{ ip: string }> }> | undefined) ?? [])
    .flatMap((s) => (s.addresses ?? []).map((a) => a.ip))
    .sort();
const sliceIps = (slices: KubeObject[]) =>
  slices
    .flatMap((s) => ((s.endpoints as Array<{ addresses: string[] }> | undefined) ?? []).flatMap((e) => e.addresses))
    .sort();

export const endpointTests = [
  conformanceTest({
    codename:
      '[sig-network] EndpointSlice should create Endpoints and EndpointSlices for Pods matching a Service [Conformance]',
    area: 'network-objects',
    needs: ['endpoints-controller', 'endpointslice-controller', 'kubelet-sim', 'service-ipalloc'],
    async run(ctx) {
      const ns = ctx.namespace;
      await ctx.client.resource(resources.pods).create(pod('pod1', { namespace: ns, labels: { label1: 'value1' } }));
      await ctx.client.resource(resources.pods).create(pod('pod2', { namespace: ns, labels: { label2: 'value2' } }));
      const running = [
        ...(await waitForRunningPods(ctx, { label1: 'value1' }, 1)),
        ...(await waitForRunningPods(ctx, { label2: 'value2' }, 1)),
      ];
      const ips = running.map((p) => (p.status as { podIP: string }).podIP).sort();
      const services = ctx.client.resource(resources.services);
      await services.create(service('example-int-port', { namespace: ns, selector: { label1: 'value1' } }));
      await services.create(service('example-multi', { namespace: ns, selector: { label1: 'value1' }, port: 81 }));
      for (const [name, expected] of [
        ['example-int-port', [ips[0]]],
        ['example-multi', [ips[0]]],
      ] as const) {
        const want = running.filter((p) => p.metadata.labels?.label1).map((p) => (p.status as { podIP: string }).podIP);
        await eventually(
          async () => {
            assert.deepEqual(endpointIps(await ctx.client.resource(resources.endpoints).get(name, ns)), want);
            const slices = await ctx.client
              .resource(resources.endpointSlices)
              .list({ namespace: ns, labelSelector: `kubernetes.io/service-name=${name}` });
            assert.deepEqual(sliceIps(slices.items), want);
          },
          { what: `endpoints of ${name} (${expected.length})`, signal: ctx.signal },
        );
      }
    },
  }),
  conformanceTest({
    codename: '[sig-network] Services should find a service from listing all namespaces [Conformance]',
    area: 'network-objects',
    needs: ['crud'],
    async run(ctx) {
      await ctx.client
        .resource(resources.services)
        .create(service('test-service', { namespace: ctx.namespace, selector: { app: 'x' } }));
      const all = await ctx.client.resource(resources.services).list();
      assert.ok(
        all.items.some((s) => s.metadata.name === 'test-service' && s.metadata.namespace === ctx.namespace),
        'list across namespaces includes test-service',
      );
    },
  }),
  conformanceTest({
    codename: '[sig-network] Services should provide secure master service [Conformance]',
    area: 'network-objects',
    needs: ['crud'],
    async run(ctx) {
      const svc = await ctx.client.resource(resources.services).get('kubernetes', 'default');
      const ports = (svc.spec as { ports: Array<{ name: string; port: number }> }).ports;
      assert.ok(
        ports.some((p) => p.name === 'https' && p.port === 443),
        'default/kubernetes serves https on 443',
      );
    },
  }),
  conformanceTest({
    codename:
      '[sig-network] EndpointSlice should have Endpoints and EndpointSlices pointing to API Server [Conformance]',
    area: 'network-objects',
    needs: ['endpoints-controller', 'endpointslice-controller'],
    async run(ctx) {
      const endpoints = await ctx.client.resource(resources.endpoints).get('kubernetes', 'default');
      assert.ok(endpointIps(endpoints).length > 0, 'default/kubernetes endpoints have addresses');
      const slices = await ctx.client
        .resource(resources.endpointSlices)
        .list({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=kubernetes' });
      assert.equal(slices.items.length, 1, 'one EndpointSlice for the kubernetes service');
      assert.deepEqual(sliceIps(slices.items), endpointIps(endpoints));
    },
  }),
  conformanceTest({
    codename: '[sig-network] Services should delete a collection of services [Conformance]',
    area: 'network-objects',
    needs: ['label-selector', 'deletecollection', 'service-ipalloc'],
    async run(ctx) {
      const services = ctx.client.resource(resources.services);
      for (const i of [1, 2, 3])
        await services.create(
          service(`e2e-svc-${i}`, { namespace: ctx.namespace, labels: { 'e2e-test-service': 'delete' } }),
        );
      assert.equal(
        (await services.list({ namespace: ctx.namespace, labelSelector: 'e2e-test-service=delete' })).items.length,
        3,
      );
      await services.deleteCollection({ namespace: ctx.namespace, labelSelector: 'e2e-test-service=delete' });
      await eventually(
        async () =>
          assert.equal(
            (await services.list({ namespace: ctx.namespace, labelSelector: 'e2e-test-service=delete' })).items.length,
            0,
          ),
        {
          what: 'services deleted',
          signal: ctx.signal,
        },
      );
    },
  }),
];
