/** Builders shared by the status tests: `pod({...})`, `status(name, state)`. */
import type { Container, ContainerState, ContainerStatus, Pod, PodSpec } from '../api-types.ts';

export function pod(spec: Partial<PodSpec> = {}, containers: Partial<Container>[] = [{ name: 'web' }]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
    spec: { containers: containers.map((c, i) => ({ name: `c${i}`, image: 'nginx', ...c })), ...spec },
  };
}

export function status(name: string, state: ContainerState, extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    name,
    state,
    lastState: {},
    ready: false,
    restartCount: 0,
    image: 'docker.io/library/nginx:latest',
    imageID: '',
    ...extra,
  };
}

export const running: ContainerState = { running: { startedAt: '2026-01-01T00:00:00Z' } };
export const creating: ContainerState = { waiting: { reason: 'ContainerCreating' } };
export const exited = (exitCode: number): ContainerState => ({
  terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' },
});
