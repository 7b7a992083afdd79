import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types/meta.ts';
import { admin, newTestRegistry, statusOf } from '../testing/test-registry.ts';
import type { RequestContext } from '../types.ts';
import { widget, widgetCRD } from './testing/widget-crd.ts';

async function withWidget(spec: Record<string, unknown> = {}) {
  const t = await newTestRegistry();
  const crdDef = t.def('customresourcedefinitions', 'apiextensions.k8s.io');
  await t.registry.create(crdDef, undefined, widgetCRD(), admin);
  const v1 = t.def('widgets', 'example.com', 'v1');
  await t.registry.create(v1, 'default', widget('w', spec), admin);
  // The def is looked up per write, as the API layer does: a CRD update replaces it.
  const patchStatus = (body: object, context: RequestContext = admin) =>
    t.registry.patch(t.def('widgets', 'example.com', 'v1'), 'default', 'w', 'merge', body, context, {
      subresource: 'status',
    });
  const get = async () => (await t.registry.get(v1, 'default', 'w', {}, admin)) as KubeObject;
  return { t, crdDef, v1, patchStatus, get };
}

describe('custom resource /status writes', () => {
  it('validate status against the schema, the scale paths and the rules under status', async () => {
    const { patchStatus } = await withWidget();
    const negative = await statusOf(patchStatus({ status: { readyReplicas: -1 } }));
    expect(negative.code).toBe(422);
    expect(negative.message).toBe(
      'Widget.example.com "w" is invalid: status.readyReplicas: Invalid value: -1: status.readyReplicas in body should be greater than or equal to 0',
    );
    const scale = await statusOf(patchStatus({ status: { replicas: -2 } }));
    expect(scale.message).toBe(
      'Widget.example.com "w" is invalid: .status.replicas: Invalid value: -2: should be a non-negative integer',
    );
    const enumError = await statusOf(patchStatus({ status: { phase: 'Done' } }));
    expect(enumError.message).toContain(
      'status.phase: Unsupported value: "Done": supported values: "Pending", "Running", "Failed"',
    );
    // A value of the wrong type keeps the rules from running, as kube says.
    expect(enumError.message).toContain(
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    );
    const rule = await statusOf(patchStatus({ status: { replicas: 1, readyReplicas: 2 } }));
    expect(rule.message).toBe(
      'Widget.example.com "w" is invalid: status: Invalid value: "object": readyReplicas must not exceed replicas',
    );
    const { object } = await patchStatus({ status: { replicas: 2, readyReplicas: 2, phase: 'Running' } });
    expect(object.status).toEqual({ replicas: 2, readyReplicas: 2, phase: 'Running' });
  });

  it('run transition rules against the stored status', async () => {
    const { patchStatus } = await withWidget();
    await patchStatus({ status: { phase: 'Running' } });
    const back = await statusOf(patchStatus({ status: { phase: 'Pending' } }));
    expect(back.message).toBe(
      'Widget.example.com "w" is invalid: status.phase: Invalid value: "string": phase cannot go back to Pending',
    );
    await patchStatus({ status: { phase: 'Failed' } });
  });

  it('prune unknown fields (warning, or 400 under Strict) and fill defaults', async () => {
    const { patchStatus } = await withWidget();
    const warned: RequestContext = { ...admin, warnings: [] };
    const { object } = await patchStatus({ status: { replicas: 1, bogus: true } }, warned);
    expect(object.status).toEqual({ replicas: 1, phase: 'Pending' });
    expect(warned.warnings).toEqual(['unknown field "status.bogus"']);
    const strict = await statusOf(patchStatus({ status: { other: 1 } }, { ...admin, fieldValidation: 'Strict' }));
    expect(strict.code).toBe(400);
    expect(strict.message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "status.other"',
    );
  });

  it('change only status; main writes and creates leave status alone', async () => {
    const { t, v1, patchStatus, get } = await withWidget({ replicas: 2 });
    expect((await get()).status).toBeUndefined();
    const { object } = await patchStatus({
      metadata: { labels: { changed: 'yes' } },
      spec: { replicas: 5 },
      status: { replicas: 2 },
    });
    expect(object.spec).toMatchObject({ replicas: 2 });
    expect(object.metadata.labels).toBeUndefined();
    expect(object.metadata.generation).toBe(1);
    const main = await t.registry.patch(
      v1,
      'default',
      'w',
      'merge',
      { spec: { replicas: 3 }, status: { replicas: 9 } },
      admin,
    );
    expect(main.object.status).toEqual({ replicas: 2, phase: 'Pending' });
    expect(main.object.metadata.generation).toBe(2);
    const created = await t.registry.create(
      v1,
      'default',
      { ...widget('fresh'), status: { replicas: 4, phase: 'Running' } },
      admin,
    );
    expect(created.object.status).toBeUndefined();
  });

  it('ratchet: values a write leaves unchanged may stay invalid under a tightened schema, changed ones may not', async () => {
    const { t, crdDef, patchStatus } = await withWidget({ replicas: 3 });
    await patchStatus({ status: { replicas: 3, readyReplicas: 3 } });
    const crd = (await t.registry.get(crdDef, undefined, 'widgets.example.com', {}, admin)) as KubeObject;
    const tightened = structuredClone(crd) as ReturnType<typeof widgetCRD>;
    const schema = tightened.spec.versions[0]?.schema.openAPIV3Schema.properties;
    const replicas = schema?.spec?.properties?.replicas;
    const ready = schema?.status?.properties?.readyReplicas;
    if (replicas) replicas.maximum = 2;
    if (ready) ready.maximum = 2;
    await t.registry.update(crdDef, undefined, 'widgets.example.com', tightened, admin);
    const v1 = t.def('widgets', 'example.com', 'v1');

    // The whole object is validated on a /status write, but spec.replicas and readyReplicas are unchanged.
    await patchStatus({ status: { phase: 'Running' } });
    await t.registry.patch(v1, 'default', 'w', 'merge', { spec: { color: 'green' } }, admin);
    const spec = await statusOf(t.registry.patch(v1, 'default', 'w', 'merge', { spec: { replicas: 4 } }, admin));
    expect(spec.message).toBe(
      'Widget.example.com "w" is invalid: spec.replicas: Invalid value: 4: spec.replicas in body should be less than or equal to 2',
    );
    const status = await statusOf(patchStatus({ status: { replicas: 4, readyReplicas: 4 } }));
    expect(status.message).toBe(
      'Widget.example.com "w" is invalid: status.readyReplicas: Invalid value: 4: status.readyReplicas in body should be less than or equal to 2',
    );
  });
});
