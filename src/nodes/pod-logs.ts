/**
 * PodLogs over the simulated kubelets: finds the pod in the informer cache, checks the container as
 * the kubelet and API server do (messages as kubectl shows them), then streams the kept log.
 */
import type { Clock } from '../controllers/runtime/clock.ts';
import type { Informer } from '../controllers/runtime/informer.ts';
import { badRequest, notFound } from '../status.ts';
import type { Pod } from './api-types.ts';
import type { LogStore } from './log-store.ts';
import { openLogStream, type PodLogs } from './logs.ts';
import type { PodSim } from './sim-types.ts';

export function createPodLogs(
  podInformer: Informer<Pod>,
  simOf: (pod: Readonly<Pod>) => PodSim | undefined,
  store: LogStore,
  clock: Clock,
): PodLogs {
  return {
    async getLogs(namespace, name, container, options = {}) {
      const pod = podInformer.getByName(namespace, name);
      if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
      const names = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
      const appNames = pod.spec.containers.map((c) => c.name);
      let chosen = container;
      if (!chosen) {
        if (appNames.length !== 1)
          throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
        chosen = appNames[0] as string;
      }
      if (!names.includes(chosen)) throw badRequest(`container ${chosen} is not valid for pod ${name}`);
      const uid = pod.metadata.uid ?? '';
      const sim = simOf(pod);
      const status = [...(sim?.initContainers ?? []), ...(sim?.containers ?? [])].find(
        (c) => c.spec.name === chosen,
      )?.status;
      if (options.previous) {
        const previous = store.read(uid, chosen, true);
        if (!previous) throw badRequest(`previous terminated container "${chosen}" in pod "${name}" not found`);
        return openLogStream(previous, options, clock.now());
      }
      if (!status?.containerID) {
        const reason = status?.state.waiting?.reason ?? 'ContainerCreating';
        throw badRequest(`container "${chosen}" in pod "${name}" is waiting to start: ${reason}`);
      }
      return openLogStream(store.current(uid, chosen), options, clock.now());
    },
  };
}
