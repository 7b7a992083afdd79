/**
 * test/e2e/network/service.go (service status lifecycle), endpointslice.go (slices for a selector
 * Service) and endpointslicemirroring.go (a hand-written Endpoints mirrored into slices).
 */
import { resources } from '../../../src/client/index.ts';
import type { KubeObject } from '../../../src/types/meta.ts';
import { eventually } from '../../eventually.ts';
import { retryOnConflict } from '../../helpers/api-operations.ts';
import assert from '../../helpers/assert.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { object } from '../../helpers/objects.ts';
import { eventFor, watchFromList } from '../../helpers/watch.ts';
import { statusOf } from '../../helpers/workloads.ts';
import { type ConformanceContext, conformanceTest } from '../../suite.ts';

type Slice = KubeObject & {
  endpoints?: Array<{ addresses: string[] }>;
  ports?: Array<{ port?: number; name?: string }>;
};

const slicesOf = async (ctx: ConformanceContext, serviceName: string) =>
  (
    await ctx.client
      .resource(resources.endpointSlices)
      .list({ namespace: ctx.namespace, labelSelector: `kubernetes.io/service-name=${serviceName}` })
  ).items as Slice[];

/** Every slice of the Service carries one port 80 and one endpoint with exactly `address`. */
function assertMirrored(slices: Slice[], address: string) {
  assert.ok(slices.length > 0, 'at least one EndpointSlice exists');
  for (const slice of slices) {
    assert.equal(slice.ports?.length, 1, `${slice.metadata.name} has one port`);
    assert.equal(slice.ports?.[0]?.port, 80, `${slice.metadata.name} port is 80`);
    assert.equal(slice.endpoints?.length, 1, `${slice.metadata.name} has one endpoint`);
    assert.deepEqual(slice.endpoints?.[0]?.addresses, [address], `${slice.metadata.name} mirrors ${address}`);
  }
}

export const serviceTests = [
  conformanceTest({
    codename: '[sig-network] Services should complete a service status lifecycle [Conformance]',
    area: 'network-objects',
    needs: ['crud', 'watch', 'patch', 'status-subresource', 'service-ipalloc'],
    async run(ctx) {
      const ns = ctx.namespace;
      const services = ctx.client.resource(resources.services);
      const name = ctx.uniqueName('test-service');
      const selector = 'test-service-static=true';
      const { watch } = await watchFromList(ctx, services, { namespace: ns, labelSelector: selector });
      const mine = (e: { object: KubeObject }) => e.object.metadata.name === name;

      await services.create(
        object(
          'v1',
          'Service',
          name,
          { namespace: ns, labels: { 'test-service-static': 'true' } },
          { spec: { type: 'LoadBalancer', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }] } },
        ),
      );
      await watch.next(eventFor('ADDED', name), 'service ADDED');
      const status = await ctx.api.getJson<KubeObject>(`/api/v1/namespaces/${ns}/services/${name}/status`);
      assert.equal(status.metadata.name, name);

      await services.patch(
        name,
        ns,
        'merge',
        {
          metadata: { annotations: { patchedstatus: 'true' } },
          status: { loadBalancer: { ingress: [{ ip: '203.0.113.1' }] } },
        },
        { subresource: 'status' },
      );
      const patched = await watch.next(
        (e) => mine(e) && e.object.metadata.annotations?.patchedstatus === 'true',
        'status patch observed',
      );
      const ingress = (statusOf(patched.object) as { loadBalancer?: { ingress?: Array<{ ip?: string }> } }).loadBalancer
        ?.ingress;
      assert.equal(ingress?.[0]?.ip, '203.0.113.1');

      await retryOnConflict(async () => {
        const current = await services.get(name, ns);
        const conditions = (statusOf(current).conditions ?? []) as unknown[];
        current.status = {
          ...statusOf(current),
          conditions: [
            ...conditions,
            {
              type: 'StatusUpdate',
              status: 'True',
              reason: 'E2E',
              message: 'Set from e2e test',
              lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            },
          ],
        };
        return services.updateStatus(current);
      });
      await watch.next(
        (e) =>
          mine(e) &&
          e.object.metadata.annotations?.patchedstatus === 'true' &&
          ((statusOf(e.object).conditions ?? []) as Array<{ type: string; reason?: string; message?: string }>).some(
            (c) => c.type === 'StatusUpdate' && c.reason === 'E2E' && c.message === 'Set from e2e test',
          ),
        'status update observed',
      );

      await services.patch(name, ns, 'strategic', { metadata: { labels: { 'test-service': 'patched' } } });
      await watch.next(
        (e) => mine(e) && e.object.metadata.labels?.['test-service'] === 'patched',
        'spec patch observed',
      );

      await services.delete(name, ns);
      await watch.next(eventFor('DELETED', name), 'service DELETED');
    },
  }),
  conformanceTest({
    codename:
      '[sig-network] EndpointSlice should create and delete Endpoints and EndpointSlices for a Service with a selector specified [Conformance]',
    area: 'network-objects',
    needs: ['endpoints-controller', 'endpointslice-controller', 'service-ipalloc'],
    async run(ctx) {
      const ns = ctx.namespace;
      const name = 'example-empty-selector';
      const services = ctx.client.resource(resources.services);
      const endpoints = ctx.client.resource(resources.endpoints);
      await services.create(
        object(
          'v1',
          'Service',
          name,
          { namespace: ns },
          {
            spec: {
              selector: { 'does-not-match-anything': 'endpoints-and-endpoint-slices-should-still-be-created' },
              ports: [{ name: 'example', port: 80, protocol: 'TCP' }],
            },
          },
        ),
      );
      await eventually(() => endpoints.get(name, ns), { what: 'Endpoints created', signal: ctx.signal });
      const [slice] = await eventually(
        async () => {
          const slices = await slicesOf(ctx, name);
          assert.ok(slices.length > 0, 'an EndpointSlice exists for the service');
          return slices;
        },
        { what: 'EndpointSlice created', signal: ctx.signal },
      );
      assert.equal(
        slice?.metadata.labels?.['endpointslice.kubernetes.io/managed-by'],
        'endpointslice-controller.k8s.io',
        'the slice is managed by the EndpointSlice controller',
      );
      assert.equal(slice?.endpoints?.length ?? 0, 0, 'no pod matches, so the slice has no endpoints');

      await services.delete(name, ns);
      await eventually(() => expectNotFound(endpoints.get(name, ns)), {
        what: 'Endpoints removed with the service',
        signal: ctx.signal,
      });
      await eventually(async () => assert.equal((await slicesOf(ctx, name)).length, 0), {
        what: 'EndpointSlices removed with the service',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-network] EndpointSliceMirroring should mirror a custom Endpoints resource through create update and delete [Conformance]',
    area: 'network-objects',
    needs: ['endpointslice-mirroring', 'service-ipalloc'],
    async run(ctx) {
      const ns = ctx.namespace;
      const name = 'example-custom-endpoints';
      await ctx.client
        .resource(resources.services)
        .create(
          object(
            'v1',
            'Service',
            name,
            { namespace: ns },
            { spec: { ports: [{ name: 'example', port: 80, protocol: 'TCP' }] } },
          ),
        );
      const endpoints = ctx.client.resource(resources.endpoints);
      const custom = (ip: string) => ({ subsets: [{ ports: [{ port: 80 }], addresses: [{ ip }] }] });
      await endpoints.create(object('v1', 'Endpoints', name, { namespace: ns }, custom('10.1.2.3')));
      await eventually(async () => assertMirrored(await slicesOf(ctx, name), '10.1.2.3'), {
        what: 'custom Endpoints mirrored',
        signal: ctx.signal,
        timeoutMs: 12_000,
      });

      await retryOnConflict(async () => {
        const current = await endpoints.get(name, ns);
        return endpoints.update({ ...current, ...custom('10.2.3.4') });
      });
      await eventually(
        async () => {
          const slices = await slicesOf(ctx, name);
          assert.equal(slices.length, 1, 'one mirrored EndpointSlice');
          assertMirrored(slices, '10.2.3.4');
        },
        { what: 'update mirrored', signal: ctx.signal, timeoutMs: 12_000 },
      );

      await endpoints.delete(name, ns);
      await eventually(async () => assert.equal((await slicesOf(ctx, name)).length, 0), {
        what: 'deletion mirrored',
        signal: ctx.signal,
        timeoutMs: 12_000,
      });
    },
  }),
];
