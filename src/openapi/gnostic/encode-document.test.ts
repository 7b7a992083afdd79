import { describe, expect, it } from 'vitest';
import type { V2Document } from '../v2-document.ts';
import { encodeGnosticDocument } from './encode-document.ts';

/** Decodes one protobuf message into field number → raw values (bytes for length-delimited, numbers for varints). */
function fields(bytes: Uint8Array): Map<number, Array<Uint8Array | number>> {
  const out = new Map<number, Array<Uint8Array | number>>();
  let pos = 0;
  const varint = () => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[pos++] ?? 0;
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return result;
    }
  };
  while (pos < bytes.length) {
    const tag = varint();
    const [field, wire] = [Math.floor(tag / 8), tag % 8];
    let value: Uint8Array | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const length = varint();
      value = bytes.subarray(pos, pos + length);
      pos += length;
    } else throw new Error(`unexpected wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const text = (v: Uint8Array | number | undefined) => new TextDecoder().decode(v as Uint8Array);
const one = (m: Map<number, Array<Uint8Array | number>>, field: number) => m.get(field)?.[0] as Uint8Array;

const document: V2Document = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.33.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/configmaps/{name}': {
      patch: {
        description: 'partially update',
        consumes: ['application/merge-patch+json'],
        produces: ['application/json'],
        schemes: ['https'],
        tags: ['core_v1'],
        operationId: 'patchCoreV1NamespacedConfigMap',
        parameters: [
          { name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true },
          { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
          { name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true },
        ],
        responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.ConfigMap' } } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: '', kind: 'ConfigMap', version: 'v1' },
      },
    },
  },
  definitions: {
    'io.k8s.api.core.v1.ConfigMap': {
      description: 'A map.',
      type: 'object',
      required: ['data'],
      properties: {
        data: { type: 'object', additionalProperties: { type: 'string' } },
        list: { type: 'array', items: { type: 'string', enum: ['A'] }, 'x-kubernetes-list-type': 'set' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
    },
  },
};

describe('gnostic OpenAPI v2 encoding', () => {
  const root = fields(encodeGnosticDocument(document));

  it('writes swagger, info and the definitions as NamedSchema entries', () => {
    expect(text(one(root, 1))).toBe('2.0');
    const info = fields(one(root, 2));
    expect([text(one(info, 1)), text(one(info, 2))]).toEqual(['Kubernetes', 'v1.33.0']);
    const named = fields(one(fields(one(root, 9)), 1));
    expect(text(one(named, 1))).toBe('io.k8s.api.core.v1.ConfigMap');
    const schema = fields(one(named, 2));
    expect(text(one(schema, 4))).toBe('A map.');
    expect(text(one(fields(one(schema, 22)), 1))).toBe('object');
    expect(text(one(schema, 19))).toBe('data');
    const extension = fields(one(schema, 31));
    expect(text(one(extension, 1))).toBe('x-kubernetes-group-version-kind');
    expect(JSON.parse(text(one(fields(one(extension, 2)), 2)))).toEqual([
      { group: '', kind: 'ConfigMap', version: 'v1' },
    ]);
    const properties = (fields(one(schema, 25)).get(1) ?? []).map((p) => fields(p as Uint8Array));
    expect(properties.map((p) => text(one(p, 1)))).toEqual(['data', 'list']);
    const data = fields(one(properties[0] ?? new Map(), 2));
    const additional = fields(one(fields(one(data, 21)), 1));
    expect(text(one(fields(one(additional, 22)), 1))).toBe('string');
    const list = fields(one(properties[1] ?? new Map(), 2));
    const items = fields(one(fields(one(list, 23)), 1));
    expect(text(one(fields(one(items, 20)), 2))).toBe('"A"');
  });

  it('writes the PATCH operation with its query parameter fieldValidation and its GVK', () => {
    const pathItem = fields(one(fields(one(fields(one(root, 8)), 2)), 2));
    const patch = fields(one(pathItem, 8));
    expect(text(one(patch, 5))).toBe('patchCoreV1NamespacedConfigMap');
    const parameters = (patch.get(8) ?? []).map((p) => fields(one(fields(p as Uint8Array), 1)));
    const path = fields(one(fields(one(parameters[0] ?? new Map(), 2)), 4));
    expect([text(one(path, 4)), path.get(1)?.[0]]).toEqual(['name', 1]);
    const body = fields(one(parameters[1] ?? new Map(), 1));
    expect(text(one(body, 2))).toBe('body');
    const query = fields(one(fields(one(parameters[2] ?? new Map(), 2)), 3));
    expect([text(one(query, 4)), text(one(query, 2)), text(one(query, 6))]).toEqual([
      'fieldValidation',
      'query',
      'string',
    ]);
    const extensions = (patch.get(13) ?? []).map((e) => text(one(fields(e as Uint8Array), 1)));
    expect(extensions).toEqual(['x-kubernetes-action', 'x-kubernetes-group-version-kind']);
    const response = fields(one(fields(one(fields(one(fields(one(patch, 9)), 1)), 2)), 1));
    expect(text(one(response, 1))).toBe('OK');
  });
});
