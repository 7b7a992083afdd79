/**
 * The components `wharf up` starts once the API server is ready, in this order (and stops in reverse):
 * the controller manager, the scheduler and (when they land) the simulated nodes. Each is an API client
 * like its Kubernetes counterpart, here over the in-process client; each is loaded on demand so that
 * none of them weighs on the time to a ready API server.
 */
import type { KubeClient } from '../client/types.ts';
import type { UserInfo } from '../types/meta.ts';
import type { ClusterContext, ComponentFactory } from './start-cluster.ts';

/** The identities kubeadm gives these components' client certificates. */
const controllerManagerUser: UserInfo = {
  username: 'system:kube-controller-manager',
  groups: ['system:authenticated'],
};
const schedulerUser: UserInfo = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };

async function localClient(context: ClusterContext, user: UserInfo): Promise<KubeClient> {
  const { createLocalClient } = await import('../client/local-client.ts');
  return createLocalClient(context.registry, user);
}

const controllerManager: ComponentFactory = async (context) => {
  const { startControllers } = await import('../controllers/index.ts');
  return startControllers({
    client: await localClient(context, controllerManagerUser),
    caPem: context.pki.caCertificate,
  });
};

const scheduler: ComponentFactory = async (context) => {
  const { startScheduler } = await import('../scheduler/scheduler.ts');
  return startScheduler({ client: await localClient(context, schedulerUser) });
};

export const defaultComponents: readonly ComponentFactory[] = [controllerManager, scheduler];
