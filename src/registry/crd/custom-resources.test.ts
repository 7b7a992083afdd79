import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../openapi/catalog.ts';
import type { KubeObject } from '../../types/meta.ts';
import { admin, newTestRegistry, statusOf } from '../testing/test-registry.ts';
import type { RequestContext } from '../types.ts';
import { widget, widgetCRD } from './testing/widget-crd.ts';

async function withWidgets() {
  const t = await newTestRegistry();
  const crdDef = t.def('customresourcedefinitions', 'apiextensions.k8s.io');
  const crd = (await t.registry.create(crdDef, undefined, widgetCRD(), admin)).object;
  const v1 = t.def('widgets', 'example.com', 'v1');
  const create = (body: object, context: RequestContext = admin) => t.registry.create(v1, 'default', body, context);
  return { t, crdDef, crd, v1, create };
}

describe('CRD validation', () => {
  it('refuses a non-structural schema with 422 and kube-style causes', async () => {
    const t = await newTestRegistry();
    const crd = widgetCRD();
    const bad = structuredClone(crd);
    const version = bad.spec.versions[0] as { schema: { openAPIV3Schema: object } };
    version.schema.openAPIV3Schema = {
      type: 'object',
      properties: {
        spec: { properties: { a: { type: 'string' } }, anyOf: [{ type: 'object', description: 'x' }] },
        list: { type: 'array' },
      },
    };
    const s = await statusOf(
      t.registry.create(t.def('customresourcedefinitions', 'apiextensions.k8s.io'), undefined, bad, admin),
    );
    expect(s.code).toBe(422);
    expect(s.message).toContain('CustomResourceDefinition.apiextensions.k8s.io "widgets.example.com" is invalid: [');
    const prefix = 'spec.versions[0].schema.openAPIV3Schema';
    expect(s.causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueRequired',
          message: 'Required value: must not be empty for specified object fields',
          field: `${prefix}.properties[spec].type`,
        },
        {
          reason: 'FieldValueRequired',
          message: 'Required value: must be specified',
          field: `${prefix}.properties[list].items`,
        },
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: must be empty to be structural',
          field: `${prefix}.properties[spec].anyOf[0].type`,
        },
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: must be empty to be structural',
          field: `${prefix}.properties[spec].anyOf[0].description`,
        },
      ]),
    );
  });

  it('refuses rules that do not compile and versions without exactly one storage version', async () => {
    const t = await newTestRegistry();
    const bad = structuredClone(widgetCRD());
    bad.spec.versions[1] = { ...bad.spec.versions[1], storage: true } as (typeof bad.spec.versions)[1];
    const spec = bad.spec.versions[0]?.schema.openAPIV3Schema.properties?.spec;
    if (spec) spec['x-kubernetes-validations'] = [{ rule: 'self.replicas >' }];
    const s = await statusOf(
      t.registry.create(t.def('customresourcedefinitions', 'apiextensions.k8s.io'), undefined, bad, admin),
    );
    expect(s.code).toBe(422);
    expect(s.message).toContain('spec.versions: Invalid value:');
    expect(s.message).toContain('must have exactly one version marked as storage version');
    expect(s.message).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "self.replicas >": compilation failed',
    );
  });

  it('a new CRD is NamesAccepted and Established, holds the cleanup finalizer and records its storage version', async () => {
    const { crd } = await withWidgets();
    const status = crd.status as {
      conditions: { type: string; status: string; reason: string }[];
      storedVersions: string[];
    };
    expect(status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts'],
      ['Established', 'True', 'InitialNamesAccepted'],
    ]);
    expect(status.storedVersions).toEqual(['v1']);
    expect(crd.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
  });
});

describe('custom resource validation', () => {
  it('words schema errors as kube does', async () => {
    const { t, create } = await withWidgets();
    // v1beta1 has no scale subresource: the schema's minimum is the only check on spec.replicas.
    const beta = t.def('widgets', 'example.com', 'v1beta1');
    const s = await statusOf(t.registry.create(beta, 'default', widget('w1', { replicas: -1 }, 'v1beta1'), admin));
    expect(s.code).toBe(422);
    expect(s.message).toBe(
      'Widget.example.com "w1" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0',
    );
    // v1's scale subresource adds apiextensions' own replicas check, named by the JSONPath.
    const scaled = await statusOf(create(widget('w1', { replicas: -1 })));
    expect(scaled.message).toBe(
      'Widget.example.com "w1" is invalid: [spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0, .spec.replicas: Invalid value: -1: should be a non-negative integer]',
    );
    const many = await statusOf(
      create(
        widget('w2', {
          size: 'huge',
          color: 'RED',
          maxReplicas: 200,
          replicas: 'two',
          email: 'nope',
          tags: ['a', 'b', 'c', 'd'],
          ports: [{ port: 0 }],
          note: 3,
        }),
      ),
    );
    const text = many.message;
    expect(text).toContain('spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"');
    expect(text).toContain('spec.color: Invalid value: "RED": spec.color in body should match \'^[a-z]+$\'');
    expect(text).toContain(
      'spec.maxReplicas: Invalid value: 200: spec.maxReplicas in body should be less than or equal to 100',
    );
    expect(text).toContain(
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    );
    expect(text).toContain('spec.email: Invalid value: "nope": spec.email in body must be of type email: "nope"');
    expect(text).toContain('spec.tags: Too many: 4: must have at most 3 items');
    expect(text).toContain('spec.ports[0].name: Required value');
    expect(text).toContain(
      'spec.ports[0].port: Invalid value: 0: spec.ports[0].port in body should be greater than or equal to 1',
    );
    expect(text).toContain('spec.note: Invalid value: "integer": spec.note in body must be of type string: "integer"');
    const required = await statusOf(
      create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w3' }, spec: {} }),
    );
    expect(required.message).toContain('spec.size: Required value');
    const short = await statusOf(create(widget('w4', { color: 'ab', tags: [], port: true })));
    expect(short.message).toContain(
      'spec.color: Invalid value: "ab": spec.color in body should be at least 3 chars long',
    );
    expect(short.message).toContain('spec.tags: Invalid value: []: spec.tags in body should have at least 1 items');
    expect(short.message).toContain(
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    );
    const long = await statusOf(create(widget('w5', { color: 'abcdefghijklm' })));
    expect(long.message).toContain('spec.color: Too long: may not be more than 12 bytes');
  });

  it('accepts nullable nulls, int-or-string values and keeps preserved and embedded fields', async () => {
    const { create } = await withWidgets();
    const { object } = await create(
      widget('ok', {
        note: null,
        port: 'http',
        extra: { anything: { goes: [1] } },
        template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } },
        labels: { a: 'b' },
      }),
    );
    expect(object.spec).toMatchObject({
      note: null,
      port: 'http',
      extra: { anything: { goes: [1] } },
      template: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } },
    });
    const missingKind = await statusOf(create(widget('bad', { template: { apiVersion: 'v1' } })));
    expect(missingKind.message).toContain('spec.template.kind: Required value: must not be empty');
  });

  it('defaults missing fields and prunes unknown ones (warning, or 400 under Strict)', async () => {
    const { create } = await withWidgets();
    const warned: RequestContext = { ...admin, warnings: [] };
    const { object } = await create({ ...widget('d'), spec: { size: 'small', bogus: 1 }, topLevel: true }, warned);
    expect(object.spec).toEqual({ size: 'small', replicas: 1, maxReplicas: 10, color: 'blue' });
    expect((object as Record<string, unknown>).topLevel).toBeUndefined();
    expect(warned.warnings).toEqual(['unknown field "spec.bogus"', 'unknown field "topLevel"']);
    const strict = await statusOf(
      create({ ...widget('s'), spec: { size: 'small', bogus: 1 } }, { ...admin, fieldValidation: 'Strict' }),
    );
    expect(strict.code).toBe(400);
    expect(strict.message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus"',
    );
  });

  it('runs CEL rules with message, messageExpression and transition rules on update', async () => {
    const { t, v1, create } = await withWidgets();
    const s = await statusOf(create(widget('c', { replicas: 20, maxReplicas: 5 })));
    expect(s.message).toBe(
      'Widget.example.com "c" is invalid: spec: Invalid value: "object": replicas 20 exceeds maxReplicas 5',
    );
    await create(widget('c', { replicas: 2 }));
    const changed = await statusOf(t.registry.patch(v1, 'default', 'c', 'merge', { spec: { size: 'large' } }, admin));
    expect(changed.message).toBe('Widget.example.com "c" is invalid: spec: Invalid value: "object": size is immutable');
    const ok = await t.registry.patch(v1, 'default', 'c', 'merge', { spec: { replicas: 3 } }, admin);
    expect(ok.object.metadata.generation).toBe(2);
  });
});

describe('serving custom resources', () => {
  it('serves every version from one storage, with printer columns and the scale subresource', async () => {
    const { t, v1, create } = await withWidgets();
    await create(widget('p', { replicas: 2 }));
    const beta = t.def('widgets', 'example.com', 'v1beta1');
    expect(((await t.registry.get(beta, 'default', 'p', {}, admin)) as KubeObject).apiVersion).toBe(
      'example.com/v1beta1',
    );
    expect(v1.printer?.columns.map((c) => c.name)).toEqual(['Name', 'Size', 'Replicas', 'Phase', 'Age']);
    const stored = (await t.registry.get(v1, 'default', 'p', {}, admin)) as KubeObject;
    expect(v1.printer?.row(stored, t.clock.now + 90_000)).toEqual(['p', 'small', 2, null, '90s']);
    expect(beta.printer?.columns.map((c) => c.name)).toEqual(['Name', 'Age']);
    const scaled = await t.registry.patch(v1, 'default', 'p', 'merge', { spec: { replicas: 4 } }, admin, {
      subresource: 'scale',
    });
    expect(scaled.object).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 } });
    await t.registry.update(
      v1,
      'default',
      'p',
      { ...stored, metadata: { name: 'p' }, status: { replicas: 4, selector: 'app=p' } },
      admin,
      { subresource: 'status' },
    );
    const scale = (await t.registry.get(v1, 'default', 'p', { subresource: 'scale' }, admin)) as KubeObject;
    expect(scale.status).toEqual({ replicas: 4, selector: 'app=p' });
    const tooMany = await statusOf(
      t.registry.patch(v1, 'default', 'p', 'merge', { spec: { replicas: 11 } }, admin, { subresource: 'scale' }),
    );
    expect(tooMany.message).toContain('replicas 11 exceeds maxReplicas 10');
  });

  it('publishes each served version and its list in the OpenAPI catalog', async () => {
    await withWidgets();
    const catalog = getCatalog();
    const name = catalog.definitionForKind('example.com', 'v1', 'Widget');
    expect(name).toBe('com.example.v1.Widget');
    const schema = catalog.definitions.get(name ?? '');
    expect(schema?.properties?.metadata).toEqual({
      $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    });
    expect(schema?.properties?.spec?.properties?.ports?.['x-kubernetes-list-map-keys']).toEqual(['name']);
    expect(catalog.definitionForKind('example.com', 'v1beta1', 'WidgetList')).toBe('com.example.v1beta1.WidgetList');
  });

  it('server-side apply merges map lists by their keys from the CRD schema', async () => {
    const { t, v1 } = await withWidgets();
    const apply = (manager: string, ports: object[]) =>
      t.registry.patch(v1, 'default', 'a', 'apply', widget('a', { ports }), { ...admin, fieldManager: manager });
    await apply('one', [{ name: 'http', port: 80 }]);
    const { object } = await apply('two', [{ name: 'https', port: 443 }]);
    expect((object.spec as { ports: object[] }).ports).toEqual([
      { name: 'http', port: 80 },
      { name: 'https', port: 443 },
    ]);
  });

  it('a second registry on the same store follows CRD writes through its watch', async () => {
    const { t, crdDef } = await withWidgets();
    const other = await newTestRegistry({ store: t.store });
    expect(other.registry.resources.lookup('example.com', 'v1', 'widgets')).toBeDefined();
    const changed = new Promise<void>((resolve) => {
      const stop = other.registry.resources.onChange(() => {
        if (!other.registry.resources.lookup('example.com', 'v1', 'gadgets')) return;
        stop();
        resolve();
      });
    });
    await t.registry.create(crdDef, undefined, widgetCRD('example.com', 'Gadget', 'gadgets'), admin);
    await changed;
    expect(other.registry.resources.lookup('example.com', 'v1', 'gadgets')?.kind).toBe('Gadget');
  });
});

describe('custom resource list types and generation', () => {
  it('refuses duplicates in set lists and duplicate keys in map lists', async () => {
    const { create } = await withWidgets();
    const s = await statusOf(
      create(
        widget('dup', {
          tags: ['a', 'b', 'a'],
          ports: [
            { name: 'http', port: 80 },
            { name: 'http', port: 81 },
          ],
        }),
      ),
    );
    expect(s.code).toBe(422);
    expect(s.message).toBe(
      'Widget.example.com "dup" is invalid: [spec.tags[2]: Duplicate value: "a", spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}]',
    );
  });

  it('moves generation on any change outside metadata; status too when there is no status subresource', async () => {
    const { t, create } = await withWidgets();
    const beta = t.def('widgets', 'example.com', 'v1beta1');
    await create(widget('g'));
    const labelled = await t.registry.patch(beta, 'default', 'g', 'merge', { metadata: { labels: { a: 'b' } } }, admin);
    expect(labelled.object.metadata.generation).toBe(1);
    // v1beta1 has no status subresource: its main writes own status, and a status change is a change.
    const status = await t.registry.patch(beta, 'default', 'g', 'merge', { status: { phase: 'Running' } }, admin);
    expect(status.object.status).toEqual({ phase: 'Running' });
    expect(status.object.metadata.generation).toBe(2);
  });
});
