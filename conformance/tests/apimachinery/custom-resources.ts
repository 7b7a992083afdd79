/** test/e2e/apimachinery/custom_resource_definition.go, crd_watch.go, field_validation.go (CR parts). */
import { randomBytes } from 'node:crypto';
import { resources } from '../../../src/client/index.ts';
import { eventually } from '../../eventually.ts';
import assert from '../../helpers/assert.ts';
import { crdBody, createCrd, crRef } from '../../helpers/crd.ts';
import { expectNotFound } from '../../helpers/expect-status.ts';
import { eventFor, openWatch } from '../../helpers/watch.ts';
import { conformanceTest } from '../../suite.ts';

const crds = resources.customResourceDefinitions;
const strictSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        cronSpec: { type: 'string' },
        image: { type: 'string' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
          items: {
            type: 'object',
            required: ['containerPort'],
            properties: {
              containerPort: { type: 'integer' },
              protocol: { type: 'string', default: 'TCP' },
              hostPort: { type: 'integer' },
            },
          },
        },
      },
    },
  },
};

export const customResourceTests = [
  conformanceTest({
    codename:
      '[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin] Simple CustomResourceDefinition creating/deleting custom resource definition objects works [Conformance]',
    area: 'apimachinery',
    needs: ['crd', 'crud'],
    async run(ctx) {
      const crd = await createCrd(ctx);
      await ctx.client.resource(crds).delete(crd.name);
      await eventually(() => expectNotFound(ctx.client.resource(crds).get(crd.name)), {
        what: 'CRD gone',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin] Simple CustomResourceDefinition listing custom resource definition objects works [Conformance]',
    area: 'apimachinery',
    needs: ['crd', 'label-selector', 'deletecollection'],
    async run(ctx) {
      const run = `e2e-list-test-${randomBytes(3).toString('hex')}`;
      const selector = `e2e-list-test-uuid=${run}`;
      const client = ctx.client.resource(crds);
      ctx.defer(() => client.deleteCollection({ labelSelector: selector }));
      await Promise.all(
        Array.from({ length: 10 }, () => client.create(crdBody({ labels: { 'e2e-list-test-uuid': run } }).crd)),
      );
      assert.equal((await client.list({ labelSelector: selector })).items.length, 10);
      await client.deleteCollection({ labelSelector: selector });
      await eventually(async () => assert.equal((await client.list({ labelSelector: selector })).items.length, 0), {
        what: 'CRDs deleted by collection',
        signal: ctx.signal,
      });
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] CustomResourceDefinition resources [Privileged:ClusterAdmin] Simple CustomResourceDefinition getting/updating/patching custom resource definition status sub-resource works [Conformance]',
    area: 'apimachinery',
    needs: ['crd', 'status-subresource', 'patch'],
    async run(ctx) {
      const crd = await createCrd(ctx);
      const client = ctx.client.resource(crds);
      const current = await client.get(crd.name);
      const status = current.status as { conditions?: Array<Record<string, string>> };
      status.conditions = [
        ...(status.conditions ?? []),
        {
          type: 'StatusUpdate',
          status: 'True',
          reason: 'E2E',
          message: 'Set from e2e test',
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      ];
      await client.updateStatus(current);
      const conditionTypes = async () =>
        ((await client.get(crd.name)).status as { conditions?: Array<{ type: string }> }).conditions?.map(
          (c) => c.type,
        ) ?? [];
      assert.ok((await conditionTypes()).includes('StatusUpdate'), 'status carries the StatusUpdate condition');
      await client.patch(
        crd.name,
        undefined,
        'merge',
        { metadata: { annotations: { patchedstatus: 'true' } } },
        { subresource: 'status' },
      );
      assert.equal((await client.get(crd.name)).metadata.annotations?.patchedstatus, 'true');
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] CustomResourceDefinition Watch [Privileged:ClusterAdmin] CustomResourceDefinition Watch watch on custom resource definition objects [Conformance]',
    area: 'apimachinery',
    needs: ['crd', 'watch', 'crud'],
    async run(ctx) {
      const crd = await createCrd(ctx);
      const client = ctx.client.resource(crRef(crd));
      const watch = await openWatch(client, { namespace: ctx.namespace }, ctx.signal);
      const cr = (name: string) => ({
        apiVersion: `${crd.group}/v1`,
        kind: crd.kind,
        metadata: { name, namespace: ctx.namespace },
        content: { key: 'value' },
      });
      await client.create(cr('name1'));
      await watch.next(eventFor('ADDED', 'name1'), 'name1 added');
      await client.create(cr('name2'));
      await watch.next(eventFor('ADDED', 'name2'), 'name2 added');
      await client.patch('name1', ctx.namespace, 'merge', { dummy: 'test' });
      await watch.next(eventFor('MODIFIED', 'name1'), 'name1 modified');
      await client.patch('name2', ctx.namespace, 'merge', { dummy: 'test' });
      await watch.next(eventFor('MODIFIED', 'name2'), 'name2 modified');
      await client.delete('name1', ctx.namespace);
      await watch.next(eventFor('DELETED', 'name1'), 'name1 deleted');
      await client.delete('name2', ctx.namespace);
      await watch.next(eventFor('DELETED', 'name2'), 'name2 deleted');
      watch.close();
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] FieldValidation should create/apply an invalid CR with extra properties for CRD with validation schema [Conformance]',
    area: 'apimachinery',
    needs: ['field-validation', 'crd', 'crd-validation', 'ssa'],
    async run(ctx) {
      const crd = await createCrd(ctx, { schema: strictSchema });
      const path = `/apis/${crd.group}/v1/namespaces/${ctx.namespace}/${crd.plural}`;
      const cr = (name: string) => ({
        apiVersion: `${crd.group}/v1`,
        kind: crd.kind,
        metadata: { name, namespace: ctx.namespace },
        spec: { foo: 'bar', cronSpec: '* * * * */5', ports: [{ containerPort: 80, name: 'x' }] },
      });
      const created = await ctx.api.request({
        method: 'POST',
        path,
        query: { fieldValidation: 'Strict' },
        body: cr('test-cr'),
      });
      // As kube: the create is a decode error (400) naming each unknown field; the apply names it too.
      const createdMessage = created.json<{ message?: string }>().message ?? '';
      assert.equal(created.status, 400, `strict create: HTTP ${created.status} ${createdMessage}`);
      assert.match(createdMessage, /strict decoding error: unknown field "spec\.foo"/);
      assert.match(createdMessage, /unknown field "spec\.ports\[0\]\.name"/);
      const applied = await ctx.api.request({
        method: 'PATCH',
        path: `${path}/test-cr`,
        query: { fieldValidation: 'Strict', fieldManager: 'conformance' },
        contentType: 'application/apply-patch+yaml',
        body: cr('test-cr'),
      });
      const appliedMessage = applied.json<{ message?: string }>().message ?? '';
      assert.ok(applied.status >= 400, `strict apply: HTTP ${applied.status} ${appliedMessage}`);
      assert.match(appliedMessage, /\.spec\.foo: field not declared in schema|unknown field "spec\.foo"/);
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] FieldValidation should create/apply a valid CR for CRD with validation schema [Conformance]',
    area: 'apimachinery',
    needs: ['field-validation', 'crd', 'crd-validation', 'ssa'],
    async run(ctx) {
      const crd = await createCrd(ctx, { schema: strictSchema });
      const path = `/apis/${crd.group}/v1/namespaces/${ctx.namespace}/${crd.plural}`;
      const body = {
        apiVersion: `${crd.group}/v1`,
        kind: crd.kind,
        metadata: { name: 'test-cr', namespace: ctx.namespace },
        spec: { cronSpec: '* * * * */5', ports: [{ containerPort: 80 }] },
      };
      const created = await ctx.api.request({ method: 'POST', path, query: { fieldValidation: 'Strict' }, body });
      assert.equal(created.status, 201, `strict create: HTTP ${created.status} ${created.text.slice(0, 200)}`);
      const applied = await ctx.api.request({
        method: 'PATCH',
        path: `${path}/test-cr`,
        query: { fieldValidation: 'Strict', fieldManager: 'conformance' },
        contentType: 'application/apply-patch+yaml',
        body: { ...body, spec: { ...body.spec, image: 'nginx' } },
      });
      assert.equal(applied.status, 200, `strict apply: HTTP ${applied.status} ${applied.text.slice(0, 200)}`);
      assert.equal(applied.json<{ spec: { image?: string } }>().spec.image, 'nginx');
    },
  }),
  conformanceTest({
    codename:
      '[sig-api-machinery] FieldValidation should detect unknown metadata fields of a typed object [Conformance]',
    area: 'apimachinery',
    needs: ['field-validation'],
    async run(ctx) {
      const response = await ctx.api.request({
        method: 'POST',
        path: `/apis/apps/v1/namespaces/${ctx.namespace}/deployments`,
        query: { fieldValidation: 'Strict' },
        body: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'deployment', unknownMeta: 'foo' },
          spec: {
            selector: { matchLabels: { app: 'nginx' } },
            template: {
              metadata: { labels: { app: 'nginx' } },
              spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] },
            },
          },
        },
      });
      assert.equal(response.status, 400, `HTTP ${response.status}`);
      // The Status message, as client-go's err.Error() gives it (the raw body escapes its quotes).
      const message = response.json<{ message?: string }>().message ?? '';
      assert.match(message, /strict decoding error: unknown field "metadata\.unknownMeta"/);
    },
  }),
];
