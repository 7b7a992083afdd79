/**
 * portforward and proxy (the "connect" subresources, whose request kinds end in Options; exec and
 * attach are served by pod-exec.ts).
 * A real API server streams these to the pod's kubelet or its network; wharf's containers are simulated
 * and have no processes or sockets to reach. Answered with a Status that says so, after the object is
 * found (404 first, as the real server), instead of falling through to the object's own GET or POST.
 */
import type { Registry } from '../registry/types.ts';
import { badRequest } from '../status.ts';
import type { UserInfo } from '../types/meta.ts';
import type { ResolvedRequest } from './resolve-request.ts';

export const isConnectSubresource = (target: ResolvedRequest): boolean =>
  target.subresource?.kind.endsWith('Options') === true;

export async function refuseConnect(registry: Registry, target: ResolvedRequest, user: UserInfo): Promise<never> {
  const { def, namespace, name, subresource } = target;
  await registry.get(def, namespace, name ?? '', {}, { user });
  const what = namespace ? `${def.kind.toLowerCase()} ${namespace}/${name}` : `${def.kind.toLowerCase()} ${name}`;
  throw badRequest(
    `${def.plural}/${subresource?.name} is not available for ${what}: wharf simulates containers and networking, so there is no process or socket to connect to`,
  );
}
