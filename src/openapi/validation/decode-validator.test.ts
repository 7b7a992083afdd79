import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../status.ts';
import { checkDecoding, type FieldValidation } from './decode-validator.ts';

const deploymentKind = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, creationTimestamp: null },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80 }],
              resources: { limits: { cpu: '500m' } },
            },
          ],
        },
      },
      ...spec,
    },
    status: {},
  };
}

function messageOf(f: () => void): string {
  try {
    f();
  } catch (err) {
    if (isStatusError(err)) return `${err.code} ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('checkDecoding', () => {
  it('accepts a well-typed object, nulls included, and leaves it unchanged', () => {
    const object = deployment({ strategy: {} });
    const before = structuredClone(object);
    checkDecoding(deploymentKind, object, 'Strict');
    expect(object).toEqual(before);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a string for an int32',
      { replicas: 'two' },
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'a fraction for an int32',
      { replicas: 1.5 },
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'a string for a struct',
      { selector: 'app=web' },
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.selector of type v1.LabelSelector',
    ],
    [
      'a number for a map value',
      { selector: { matchLabels: { app: 1 } } },
      'json: cannot unmarshal number into Go struct field LabelSelector.spec.selector.matchLabels of type string',
    ],
    [
      'a bool for an int-or-string',
      { strategy: { rollingUpdate: { maxSurge: true } } },
      'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    ],
    [
      'an object for a list',
      { template: { spec: { containers: { name: 'x' } } } },
      'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ],
    [
      'a number for a string inside a list',
      { template: { spec: { containers: [{ name: 7 }] } } },
      'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.name of type string',
    ],
    [
      'a malformed quantity',
      { template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1 core' } } }] } } },
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ],
  ])('rejects %s with Go decoding wording (400)', (_name, spec, message) => {
    expect(messageOf(() => checkDecoding(deploymentKind, deployment(spec), 'Ignore'))).toBe(
      `400 Deployment in version "v1" cannot be handled as a Deployment: ${message}`,
    );
  });

  it('rejects bad base64 in a Secret', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { key: 'no*base64' } };
    expect(messageOf(() => checkDecoding({ group: '', version: 'v1', kind: 'Secret' }, secret, 'Strict'))).toBe(
      '400 Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 2',
    );
  });

  it('names every unknown field in document order under Strict', () => {
    const object = deployment({ foo: 1 });
    (object.spec as Record<string, unknown>).bar = true;
    (object.metadata as Record<string, unknown>).bogus = 'x';
    const containers = (object.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
      .containers[0] as Record<string, unknown>;
    containers.imagePullPolicyy = 'Always';
    expect(messageOf(() => checkDecoding(deploymentKind, object, 'Strict'))).toBe(
      '400 Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "metadata.bogus", unknown field "spec.template.spec.containers[0].imagePullPolicyy", unknown field "spec.foo", unknown field "spec.bar"',
    );
  });

  it.each<[FieldValidation, string[]]>([
    ['Warn', ['unknown field "spec.template.spec.containers[0].bogus"', 'unknown field "spec.foo"']],
    ['Ignore', []],
  ])('under %s drops unknown fields and warns as told', (mode, expected) => {
    const object = deployment({ foo: 1 });
    const spec = object.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
    (spec.template.spec.containers[0] as Record<string, unknown>).bogus = 1;
    const warnings: string[] = [];
    checkDecoding(deploymentKind, object, mode, warnings);
    expect(warnings).toEqual(expected);
    expect(object).toEqual(deployment());
  });

  it('keeps free-form fields (preserve-unknown-fields) and leaves unknown kinds alone', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'a.b.c' },
      spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', default: { any: 1 } } } }] },
    };
    checkDecoding({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }, crd, 'Strict');
    const other = { spec: { anything: 1 } };
    checkDecoding({ group: 'example.com', version: 'v1', kind: 'Thing' }, other, 'Strict');
    expect(other).toEqual({ spec: { anything: 1 } });
  });
});
