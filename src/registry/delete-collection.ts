/** deletecollection: delete every object a list with the same options returns; answer with them. */
import { isStatusError } from '../status.ts';
import type { DeleteOptions, KubeList } from '../types/meta.ts';
import { deleteObject } from './delete.ts';
import { listObjects } from './list.ts';
import type { RegistryState } from './registry-state.ts';
import type { ListOptions, RequestContext, ResourceDef } from './types.ts';

export async function deleteCollection(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  listOptions: ListOptions,
  deleteOptions: DeleteOptions,
  context: RequestContext,
): Promise<KubeList> {
  const list = await listObjects(state, def, namespace, { ...listOptions, limit: 0 });
  const deleted: KubeList['items'] = [];
  for (const item of list.items) {
    try {
      const result = await deleteObject(
        state,
        def,
        item.metadata.namespace,
        item.metadata.name ?? '',
        { ...deleteOptions },
        context,
      );
      const { kind: _k, apiVersion: _a, ...rest } = result.object;
      deleted.push(rest as KubeList['items'][number]);
    } catch (err) {
      // Gone in the meantime: someone else's delete won, which is what was asked for.
      if (!(isStatusError(err) && err.code === 404)) throw err;
    }
  }
  return { ...list, items: deleted };
}
