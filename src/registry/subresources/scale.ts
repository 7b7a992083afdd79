/**
 * The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and
 * replicationcontrollers: a view of spec.replicas, status.replicas and the selector; writing it sets
 * the parent's spec.replicas.
 */
import { labelSelectorFromSpec } from '../../selectors/index.ts';
import { badRequest, conflict, invalid } from '../../status.ts';
import type { KubeObject, LabelSelector } from '../../types/meta.ts';
import { setAtPath, valueAtPath } from '../crd/scale-paths.ts';
import { getObject } from '../get.ts';
import { applyPatch } from '../patch/apply-patch.ts';
import { dropCurrentResourceVersion } from '../patch.ts';
import type { RegistryState } from '../registry-state.ts';
import { objectField } from '../strategies/shared.ts';
import type { PatchType, RequestContext, ResourceDef, WriteResult } from '../types.ts';
import { writeUpdate } from '../update.ts';

/** The selector as a string; replication controllers hold a plain map, apps kinds a LabelSelector. */
function selectorString(def: ResourceDef, selector: unknown): string {
  if (!selector || typeof selector !== 'object') return '';
  const spec: LabelSelector =
    def.group === '' ? { matchLabels: selector as Record<string, string> } : (selector as LabelSelector);
  return labelSelectorFromSpec(spec).toString();
}

/** Replicas and selector of the parent: at the CRD's scale paths, or the built-in kinds' fields. */
function scaleFields(def: ResourceDef, object: Readonly<KubeObject>) {
  if (def.scale) {
    const replicas = valueAtPath(object, def.scale.specReplicasPath);
    const current = valueAtPath(object, def.scale.statusReplicasPath);
    const selector = def.scale.labelSelectorPath ? valueAtPath(object, def.scale.labelSelectorPath) : undefined;
    return {
      spec: typeof replicas === 'number' ? replicas : 0,
      status: typeof current === 'number' ? current : 0,
      selector: typeof selector === 'string' ? selector : '',
    };
  }
  const spec = (object.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (object.status ?? {}) as { replicas?: number };
  return { spec: spec.replicas ?? 0, status: status.replicas ?? 0, selector: selectorString(def, spec.selector) };
}

export function scaleOf(def: ResourceDef, object: Readonly<KubeObject>): KubeObject {
  const fields = scaleFields(def, object);
  const m = object.metadata;
  const metadata: KubeObject['metadata'] = {
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    creationTimestamp: m.creationTimestamp,
  };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: fields.spec },
    status: { replicas: fields.status, selector: fields.selector },
  };
}

export async function getScale(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject> {
  return scaleOf(def, await getObject(state, def, namespace, name, {}));
}

async function writeScale(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  toScale: (current: KubeObject) => unknown,
  context: RequestContext,
): Promise<WriteResult> {
  const result = await writeUpdate(
    state,
    def,
    namespace,
    name,
    {
      scope: 'main',
      next: ({ object }) => {
        const scale = toScale(scaleOf(def, object)) as KubeObject;
        if (!scale || typeof scale !== 'object' || (scale.kind && scale.kind !== 'Scale')) {
          throw badRequest(`the kind in the data (${String(scale?.kind)}) does not match the expected kind (Scale)`);
        }
        const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
        if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
          throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
            {
              type: 'FieldValueInvalid',
              field: 'spec.replicas',
              value: replicas,
              detail: 'must be greater than or equal to 0',
            },
          ]);
        }
        const precondition = scale.metadata?.resourceVersion;
        if (precondition && precondition !== object.metadata.resourceVersion)
          throw conflict({ group: def.group, resource: def.plural }, name);
        // A Scale without resourceVersion is an unconditional write: the update loop may retry it after
        // another writer (a controller's status update) got in first, so the parent must not carry the
        // version it was read at, which the loop would take as a precondition.
        if (!precondition) delete object.metadata.resourceVersion;
        if (def.scale) setAtPath(object as unknown as Record<string, unknown>, def.scale.specReplicasPath, replicas);
        else objectField(object, 'spec').replicas = replicas;
        return object;
      },
    },
    context,
  );
  return { object: scaleOf(def, result.object), created: false };
}

export function updateScale(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  body: unknown,
  context: RequestContext,
) {
  return writeScale(state, def, namespace, name, () => body, context);
}

export function patchScale(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  patch: unknown,
  context: RequestContext,
) {
  // As for any patch, only a resourceVersion the patch itself names is a precondition.
  const patchScaleOf = (scale: KubeObject) => {
    const patched = applyPatch(type, scale, patch) as KubeObject;
    if (patched && typeof patched === 'object' && patched.metadata)
      dropCurrentResourceVersion(patched, scale.metadata.resourceVersion);
    return patched;
  };
  return writeScale(state, def, namespace, name, patchScaleOf, context);
}
