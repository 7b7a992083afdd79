/**
 * The /scale subresource of whatever scaleTargetRef names (Deployment, ReplicaSet, StatefulSet,
 * ReplicationController, any custom resource with a scale subresource): kind → plural through
 * discovery, as the HPA's RESTMapper does, re-read when a kind is not known yet (a CRD installed later).
 */
import type { KubeClient, ResourceRef } from '../../client/types.ts';
import type { CrossVersionObjectReference, Scale } from './types.ts';

export interface ScaleTargets {
  getScale(namespace: string, target: CrossVersionObjectReference): Promise<Scale>;
  updateScale(target: CrossVersionObjectReference, scale: Scale): Promise<Scale>;
}

const groupVersionOf = (apiVersion: string | undefined) => {
  const [group, version] = (apiVersion ?? '').includes('/') ? (apiVersion ?? '').split('/') : ['', apiVersion];
  return { group: group ?? '', version: version ?? '' };
};

export function createScaleTargets(client: KubeClient): ScaleTargets {
  let known = new Map<string, ResourceRef>();
  const keyOf = (group: string, version: string, kind: string) => `${group}/${version}/${kind}`;

  async function refFor(target: CrossVersionObjectReference): Promise<ResourceRef> {
    const { group, version } = groupVersionOf(target.apiVersion);
    const key = keyOf(group, version, target.kind);
    let ref = known.get(key);
    if (!ref) {
      const { resources } = await client.serverResources();
      known = new Map(resources.map((r) => [keyOf(r.group, r.version, r.kind), r]));
      ref = known.get(key);
    }
    if (!ref) {
      throw new Error(
        `unable to determine resource for scale target reference: no matches for kind "${target.kind}" in version "${target.apiVersion ?? ''}"`,
      );
    }
    return ref;
  }

  return {
    async getScale(namespace, target) {
      const ref = await refFor(target);
      return (await client.resource(ref).getSubresource(target.name, namespace, 'scale')) as Scale;
    },
    async updateScale(target, scale) {
      const ref = await refFor(target);
      return (await client.resource(ref).updateSubresource(scale, 'scale')) as Scale;
    },
  };
}
