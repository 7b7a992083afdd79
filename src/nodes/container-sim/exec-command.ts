/**
 * A command run in a simulated container (`kubectl exec`): the same simulated shell as the container's
 * own program, with the container's environment and mounted files. The caller plays the effects: log
 * lines are output, sleeps take real time, and a server program runs until the client goes away.
 */
import type { Container, Pod } from '../api-types.ts';
import type { Effect } from './builtins.ts';
import { mountedFiles, type ObjectLookup, type PodNetwork, type Resolved, resolveEnv } from './container-env.ts';
import { runProgram } from './run-program.ts';
import { parseShellLine, type ShellCommand } from './shell-line.ts';

export function execCommand(
  pod: Pod,
  container: Container,
  command: readonly string[],
  lookup: ObjectLookup,
  o: { network: PodNetwork; now: () => number },
): Resolved<Generator<Effect, void, void>> {
  const env = resolveEnv(pod, container, lookup, o.network);
  if (!env.ok) return env;
  const isShell = /(^|\/)(ba)?sh$/.test(command[0] ?? '') && command[1] === '-c';
  const commands: ShellCommand[] = isShell
    ? parseShellLine(command[2] ?? '', env.value)
    : [{ connector: ';', argv: [...command] }];
  const hostname = pod.spec.hostname ?? pod.metadata.name ?? '';
  const files = mountedFiles(pod, container, lookup);
  return { ok: true, value: runProgram({ kind: 'script', commands }, { env: env.value, hostname, files, now: o.now }) };
}

/** The ConfigMaps and Secrets a container's environment and the pod's volumes name, to fetch first. */
export function referencedObjects(pod: Pod, container: Container): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef?.name) configMaps.add(source.configMapRef.name);
    if (source.secretRef?.name) secrets.add(source.secretRef.name);
  }
  for (const variable of container.env ?? []) {
    if (variable.valueFrom?.configMapKeyRef?.name) configMaps.add(variable.valueFrom.configMapKeyRef.name);
    if (variable.valueFrom?.secretKeyRef?.name) secrets.add(variable.valueFrom.secretKeyRef.name);
  }
  for (const volume of pod.spec.volumes ?? []) {
    if (volume.configMap?.name) configMaps.add(volume.configMap.name);
    if (volume.secret?.secretName) secrets.add(volume.secret.secretName);
  }
  return { configMaps, secrets };
}
