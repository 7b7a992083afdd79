/** A random CRD for a test, created, waited on until Established, and deleted afterwards. */
import { randomBytes } from 'node:crypto';
import { resources } from '../../src/client/index.ts';
import type { KubeObject } from '../../src/types/meta.ts';
import { eventually } from '../eventually.ts';
import type { ConformanceContext } from '../suite.ts';

export interface TestCrd {
  group: string;
  version: string;
  kind: string;
  plural: string;
  name: string;
  crd: KubeObject;
}

export function crdBody(o: {
  schema?: Record<string, unknown>;
  group?: string;
  labels?: Record<string, string>;
  status?: boolean;
}) {
  const suffix = randomBytes(3).toString('hex');
  const group = o.group ?? `crd-${suffix}.example.com`;
  const kind = `E2eTest${suffix}`;
  const plural = `e2e-test-${suffix}s`.toLowerCase();
  const schema = o.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: `e2e-test-${suffix}`, kind, listKind: `${kind}List` },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          ...(o.status ? { subresources: { status: {} } } : {}),
        },
      ],
    },
  };
  return { group, version: 'v1', kind, plural, name: `${plural}.${group}`, crd };
}

export async function createCrd(ctx: ConformanceContext, o: Parameters<typeof crdBody>[0] = {}): Promise<TestCrd> {
  const test = crdBody(o);
  const client = ctx.client.resource(resources.customResourceDefinitions);
  await client.create(test.crd);
  ctx.defer(() => client.delete(test.name));
  await eventually(
    async () => {
      const crd = await client.get(test.name);
      const conditions =
        (crd.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Established' && c.status === 'True')) throw new Error('not Established');
      await ctx.api.getJson(`/apis/${test.group}/${test.version}`);
    },
    { what: `CRD ${test.name} established and served`, signal: ctx.signal },
  );
  return test;
}

export const crRef = (crd: TestCrd) => ({
  group: crd.group,
  version: crd.version,
  kind: crd.kind,
  plural: crd.plural,
  namespaced: true,
});
