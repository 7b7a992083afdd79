/**
 * Every schema feature of the Widget CRD through a real client: validation (types, formats, enum,
 * pattern, bounds, lengths, item counts, required, nullable, int-or-string, embedded resources),
 * preserve-unknown-fields, defaulting and CEL rules (messageExpression) through client-node's
 * CustomObjectsApi and watch; the structural-schema refusal, CRD conditions and stored versions,
 * legacy discovery, both OpenAPI documents and server-side apply of a map list by two managers
 * through kubectl.
 */
import { CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widget, widgetCRD } from '../../src/registry/crd/testing/widget-crd.ts';
import { startWharf, type Wharf } from '../support/start-wharf.ts';
import { kubectlOn } from './crd-kubectl.ts';

let wharf: Wharf;
let custom: CustomObjectsApi;
let config: KubeConfig;
const at = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' };

beforeAll(async () => {
  wharf = await startWharf({ nodes: 0 });
  await ok('apply', '-f', '-', { input: JSON.stringify(widgetCRD()) });
  await ok('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s');
  config = new KubeConfig();
  config.loadFromFile(wharf.kubeconfig);
  custom = config.makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  expect(await wharf?.stop()).toBe(0);
});

const { k, ok } = kubectlOn(() => wharf);

interface Refusal {
  code: number;
  message: string;
  causes: { reason: string; field: string; message: string }[];
}
async function refusal(body: object): Promise<Refusal> {
  const error = await custom.createNamespacedCustomObject({ ...at, body }).then(
    () => undefined,
    (e: { code: number; body: string }) => e,
  );
  if (!error) throw new Error('the create was accepted');
  const status = JSON.parse(error.body) as { message: string; details: { causes: Refusal['causes'] } };
  return { code: error.code, message: status.message, causes: status.details.causes };
}

describe('CustomObjectsApi: schema validation', () => {
  it('refuses each value the schema forbids, one cause each, worded as kube-openapi', async () => {
    const refused = await refusal(
      widget('bad', {
        size: 'huge',
        replicas: 'two',
        maxReplicas: 200,
        color: 'RED',
        email: 'nope',
        note: 3,
        port: true,
        tags: ['a', 'b', 'c', 'd'],
        ports: [{ port: 0 }],
        template: { apiVersion: 'v1' },
      }),
    );
    expect(refused.code).toBe(422);
    expect(refused.causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueNotSupported',
          field: 'spec.size',
          message: 'Unsupported value: "huge": supported values: "small", "medium", "large"',
        },
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.replicas',
          message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.maxReplicas',
          message: 'Invalid value: 200: spec.maxReplicas in body should be less than or equal to 100',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.color',
          message: 'Invalid value: "RED": spec.color in body should match \'^[a-z]+$\'',
        },
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.email',
          message: 'Invalid value: "nope": spec.email in body must be of type email: "nope"',
        },
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.note',
          message: 'Invalid value: "integer": spec.note in body must be of type string: "integer"',
        },
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.port',
          message: 'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        },
        { reason: 'FieldValueTooMany', field: 'spec.tags', message: 'Too many: 4: must have at most 3 items' },
        { reason: 'FieldValueRequired', field: 'spec.ports[0].name', message: 'Required value' },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ports[0].port',
          message: 'Invalid value: 0: spec.ports[0].port in body should be greater than or equal to 1',
        },
        { reason: 'FieldValueRequired', field: 'spec.template.kind', message: 'Required value: must not be empty' },
      ]),
    );
    const lengths = await refusal(widget('short', { color: 'ab', tags: [] }));
    expect(lengths.message).toContain(
      'spec.color: Invalid value: "ab": spec.color in body should be at least 3 chars long',
    );
    expect(lengths.message).toContain('spec.tags: Invalid value: []: spec.tags in body should have at least 1 items');
    const long = await refusal(widget('long', { color: 'abcdefghijklm' }));
    expect(long.message).toBe(
      'Widget.example.com "long" is invalid: spec.color: Too long: may not be more than 12 bytes',
    );
    const required = await refusal({ ...widget('nosize'), spec: {} });
    expect(required.message).toBe('Widget.example.com "nosize" is invalid: spec.size: Required value');
  });

  it('runs CEL rules with messageExpression', async () => {
    const refused = await refusal(widget('cel', { replicas: 20, maxReplicas: 5 }));
    expect(refused.message).toBe(
      'Widget.example.com "cel" is invalid: spec: Invalid value: "object": replicas 20 exceeds maxReplicas 5',
    );
  });

  it('accepts nulls where nullable, int-or-string values, preserved and embedded objects, and fills defaults', async () => {
    const created = (await custom.createNamespacedCustomObject({
      ...at,
      body: widget('good', {
        note: null,
        port: 'http',
        extra: { anything: { goes: [1, 'two'] } },
        template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, data: { a: '1' } },
        labels: { tier: 'web' },
      }),
    })) as { spec: Record<string, unknown> };
    expect(created.spec).toEqual({
      size: 'small',
      replicas: 1,
      maxReplicas: 10,
      color: 'blue',
      note: null,
      port: 'http',
      extra: { anything: { goes: [1, 'two'] } },
      template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, data: { a: '1' } },
      labels: { tier: 'web' },
    });
    const numeric = (await custom.createNamespacedCustomObject({ ...at, body: widget('numeric', { port: 8080 }) })) as {
      spec: { port: unknown };
    };
    expect(numeric.spec.port).toBe(8080);
  });

  it('watches custom resources from a resourceVersion', async () => {
    const list = (await custom.listNamespacedCustomObject(at)) as { metadata: { resourceVersion: string } };
    const events: string[] = [];
    let resolveSeen: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => {
      resolveSeen = resolve;
    });
    const controller = await new Watch(config).watch(
      '/apis/example.com/v1/namespaces/default/widgets',
      { resourceVersion: list.metadata.resourceVersion },
      (type: string, object: { metadata: { name: string } }) => {
        events.push(`${type} ${object.metadata.name}`);
        if (object.metadata.name === 'watched' && type === 'DELETED') resolveSeen();
      },
      () => undefined,
    );
    try {
      await custom.createNamespacedCustomObject({ ...at, body: widget('watched') });
      await custom.deleteNamespacedCustomObject({ ...at, name: 'watched' });
      await seen;
      expect(events).toEqual(['ADDED watched', 'DELETED watched']);
    } finally {
      controller.abort();
    }
  });
});

describe('kubectl 1.35: the CRD itself', () => {
  it('refuses a non-structural schema with 422 and kube-style causes', async () => {
    const bad = widgetCRD('example.com', 'Thing', 'things');
    const version = bad.spec.versions[0] as { schema: { openAPIV3Schema: object } };
    version.schema.openAPIV3Schema = {
      type: 'object',
      properties: { spec: { properties: { a: { type: 'string' } } }, list: { type: 'array' } },
    };
    const result = await k('apply', '-f', '-', { input: JSON.stringify(bad) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The CustomResourceDefinition "things.example.com" is invalid:');
    expect(result.stderr).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    );
    expect(result.stderr).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[list].items: Required value: must be specified',
    );
  });

  it('reports NamesAccepted, Established and the stored versions', async () => {
    const out = await ok(
      'get',
      'crd',
      'widgets.example.com',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status} {end}{.status.storedVersions}',
    );
    expect(out).toBe('NamesAccepted=True Established=True ["v1"]');
    expect(await ok('get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.status.acceptedNames.shortNames}')).toBe(
      '["wdg"]',
    );
  });

  it('serves legacy discovery and both OpenAPI documents for every served version', async () => {
    const group = JSON.parse(await ok('get', '--raw', '/apis/example.com')) as {
      versions: { version: string }[];
      preferredVersion: { version: string };
    };
    expect(group.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(group.preferredVersion.version).toBe('v1');
    const unserved = await k('get', 'widgets.v1alpha1.example.com');
    expect(unserved.code).toBe(1);
    expect(unserved.stderr).toContain('the server doesn\'t have a resource type "widgets"');
    expect((await k('get', '--raw', '/apis/example.com/v1alpha1/namespaces/default/widgets')).stderr).toContain(
      'NotFound',
    );
    const resources = JSON.parse(await ok('get', '--raw', '/apis/example.com/v1')) as {
      resources: { name: string; shortNames?: string[]; categories?: string[]; verbs: string[] }[];
    };
    expect(resources.resources.map((r) => r.name).sort()).toEqual(['widgets', 'widgets/scale', 'widgets/status']);
    const main = resources.resources.find((r) => r.name === 'widgets');
    expect(main).toMatchObject({ shortNames: ['wdg'], categories: ['all'] });
    expect(main?.verbs).toEqual(expect.arrayContaining(['deletecollection', 'watch', 'patch']));
    const v2 = JSON.parse(await ok('get', '--raw', '/openapi/v2')) as { definitions: Record<string, unknown> };
    expect(Object.keys(v2.definitions)).toEqual(
      expect.arrayContaining(['com.example.v1.Widget', 'com.example.v1beta1.Widget']),
    );
    const v3 = JSON.parse(await ok('get', '--raw', '/openapi/v3/apis/example.com/v1')) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(v3.components.schemas['com.example.v1.Widget']?.properties).toHaveProperty('spec');
  });

  it('server-side apply merges a map list by its keys across field managers', async () => {
    const manifest = (ports: object[]) =>
      JSON.stringify({ ...widget('ssa', { ports }), metadata: { name: 'ssa', namespace: 'default' } });
    await ok('apply', '--server-side', '--field-manager=one', '-f', '-', {
      input: manifest([{ name: 'http', port: 80 }]),
    });
    await ok('apply', '--server-side', '--field-manager=two', '-f', '-', {
      input: manifest([{ name: 'https', port: 443 }]),
    });
    expect(await ok('get', 'widget', 'ssa', '-o', 'jsonpath={.spec.ports}')).toBe(
      '[{"name":"http","port":80},{"name":"https","port":443}]',
    );
    const conflict = await k('apply', '--server-side', '--field-manager=two', '-f', '-', {
      input: manifest([{ name: 'http', port: 8080 }]),
    });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "one": .spec.ports[name="http"].port',
    );
  });
});
