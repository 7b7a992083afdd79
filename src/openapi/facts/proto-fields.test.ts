import { describe, expect, it } from 'vitest';
import {
  definitionName,
  definitionsByShortName,
  messageByDefinition,
  protoMessage,
  protoMessageName,
  protoMessageNames,
} from './proto-fields.ts';

describe('proto-fields table', () => {
  it('knows the wire numbers confirmed on captured bodies', () => {
    const meta = protoMessage('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const byName = new Map(meta?.fields.map((f) => [f.name, f.number]));
    expect(Object.fromEntries(byName)).toMatchObject({
      name: 1,
      generateName: 2,
      namespace: 3,
      uid: 5,
      resourceVersion: 6,
      generation: 7,
      creationTimestamp: 8,
      labels: 11,
      annotations: 12,
    });
    const secret = messageByDefinition('io.k8s.api.core.v1.Secret');
    const data = secret?.fields.find((f) => f.name === 'data');
    expect(data).toMatchObject({ number: 2, mapKey: 'string', type: 'bytes' });
  });

  it('marks Go pointers, which keep their zero values', () => {
    const spec = messageByDefinition('io.k8s.api.apps.v1.DeploymentSpec');
    const field = (n: string) => spec?.fields.find((f) => f.name === n);
    expect(field('replicas')?.isPointer).toBe(true);
    expect(field('minReadySeconds')?.isPointer).toBe(false);
    expect(field('minReadySeconds')?.omitEmpty).toBe(true);
    expect(field('template')?.type).toBe('k8s.io.api.core.v1.PodTemplateSpec');
  });

  it('records JSON names that differ from proto names and inlined structs', () => {
    const ref = messageByDefinition('io.k8s.api.authentication.v1.BoundObjectReference');
    expect(ref?.fields.find((f) => f.number === 4)).toMatchObject({ name: 'uID', jsonName: 'uid' });
    const volume = messageByDefinition('io.k8s.api.core.v1.Volume');
    expect(volume?.fields.find((f) => f.number === 2)).toMatchObject({ isInline: true, jsonName: '' });
    expect(messageByDefinition('io.k8s.api.authentication.v1.ExtraValue')?.isListWrapper).toBe(true);
  });

  it('maps proto names to OpenAPI definitions and back', () => {
    expect(definitionName('k8s.io.apimachinery.pkg.api.resource.Quantity')).toBe(
      'io.k8s.apimachinery.pkg.api.resource.Quantity',
    );
    expect(protoMessageName('io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toBe(
      'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
    );
    const specs = definitionsByShortName('DeploymentSpec');
    expect(specs).toContain('io.k8s.api.apps.v1.DeploymentSpec');
    expect(specs).toContain('io.k8s.api.apps.v1beta2.DeploymentSpec');
    expect(definitionsByShortName('NoSuchThing')).toEqual([]);
  });

  it('has a well-formed tuple for every field and resolvable message types', () => {
    const names = new Set(protoMessageNames());
    const scalars = new Set(['string', 'bool', 'int32', 'int64', 'bytes', 'double', 'float', 'uint32', 'uint64']);
    for (const name of names) {
      for (const f of protoMessage(name)?.fields ?? []) {
        expect(Number.isInteger(f.number) && f.number > 0, `${name}.${f.name}`).toBe(true);
        expect(scalars.has(f.type) || names.has(f.type), `${name}.${f.name}: ${f.type}`).toBe(true);
      }
    }
  });
});
