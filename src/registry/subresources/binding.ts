/** pods/binding: the scheduler's write of spec.nodeName (pkg/registry/core/pod/storage assignPod). */
import { badRequest, conflict, successStatus } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { type RegistryState, timestamp } from '../registry-state.ts';
import { arrayField, objectField } from '../strategies/shared.ts';
import type { RequestContext, ResourceDef } from '../types.ts';
import { writeUpdate } from '../update.ts';

export async function bindPod(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  body: unknown,
  context: RequestContext,
): Promise<{ object: unknown; code: number }> {
  const binding = (body ?? {}) as {
    metadata?: { name?: string; annotations?: Record<string, string> };
    target?: { name?: string; kind?: string };
  };
  const node = binding.target?.name;
  if (!node) throw badRequest('Binding.target.name is required');
  if (binding.metadata?.name && binding.metadata.name !== name) {
    throw badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${name})`);
  }
  const bindingResource = { group: '', resource: 'pods/binding' };
  await writeUpdate(
    state,
    def,
    namespace,
    name,
    {
      scope: 'main',
      next: ({ object }) => {
        const spec = objectField(object, 'spec');
        if (object.metadata.deletionTimestamp)
          throw conflict(bindingResource, name, `pod ${name} is being deleted, cannot be assigned to a host`);
        if (spec.nodeName)
          throw conflict(bindingResource, name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
        spec.nodeName = node;
        if (binding.metadata?.annotations)
          object.metadata.annotations = { ...object.metadata.annotations, ...binding.metadata.annotations };
        return object;
      },
    },
    context,
  );
  // The status subresource owns conditions; PodScheduled is set there as the real binder does.
  await writeUpdate(
    state,
    def,
    namespace,
    name,
    { scope: 'status', next: ({ object }) => markScheduled(object, state.clock()) },
    context,
  ).catch(() => undefined);
  return { object: successStatus(undefined, 201), code: 201 };
}

function markScheduled(pod: KubeObject, now: number): KubeObject {
  const status = objectField(pod, 'status');
  const conditions = arrayField(status, 'conditions').filter((c) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(now) });
  status.conditions = conditions;
  return pod;
}
