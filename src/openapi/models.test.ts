import { describe, expect, it } from 'vitest';
import { parseAttributeTypeMap, parseDeclaration, readModels } from './models.ts';

describe('client-node model reader', () => {
  const models = readModels();

  it('reads JSON names, types, formats, required-ness and descriptions', () => {
    const container = models.get('V1Container');
    expect(container?.description).toBe('A single application container that you want to run within a pod.');
    const name = container?.properties.find((p) => p.name === 'name');
    expect(name).toMatchObject({ type: 'string', isRequired: true });
    expect(name?.description).toMatch(/DNS_LABEL/);
    expect(container?.properties.find((p) => p.name === 'env')).toMatchObject({
      type: 'Array<V1EnvVar>',
      isRequired: false,
    });
    const meta = models.get('V1ObjectMeta');
    expect(meta?.properties.find((p) => p.name === 'creationTimestamp')).toMatchObject({
      type: 'Date',
      format: 'date-time',
    });
    expect(meta?.properties.find((p) => p.name === 'labels')?.type).toBe('{ [key: string]: string; }');
  });

  it('uses the JSON name where it differs from the TypeScript one', () => {
    const props = models.get('V1JSONSchemaProps')?.properties.map((p) => p.name) ?? [];
    expect(props).toContain('$ref');
    expect(props).toContain('x-kubernetes-preserve-unknown-fields');
  });

  it('parses the generated text forms', () => {
    const js =
      'X.attributeTypeMap = [\n    {\n        "name": "a",\n        "baseName": "a",\n        "type": "string",\n        "format": ""\n    }\n];\n';
    expect(parseAttributeTypeMap(js)).toEqual([{ name: 'a', baseName: 'a', type: 'string', format: '' }]);
    const dts =
      "/**\n* The class.\n*/\nexport declare class X {\n    /**\n    * It\\'s a \\\"field\\\".\n    */\n    'a': string;\n    'b'?: number;\n}\n";
    const declaration = parseDeclaration(dts, 'X');
    expect(declaration.description).toBe('The class.');
    expect(declaration.properties.get('a')).toEqual({ description: 'It\'s a "field".', isRequired: true });
    expect(declaration.properties.get('b')).toEqual({ isRequired: false });
  });
});
