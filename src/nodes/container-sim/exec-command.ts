/**
 * Commands run in a simulated container (`kubectl exec`): the same simulated shell as the container's
 * own program, with the container's environment and mounted files. The caller plays the effects: log
 * lines are output, sleeps take real time, and a server program runs until the client goes away.
 */
import type { Container, Pod } from '../api-types.ts';
import type { Effect } from './builtins.ts';
import { mountedFiles, type ObjectLookup, type PodNetwork, type Resolved, resolveEnv } from './container-env.ts';
import { isShell } from './program.ts';
import { type RunContext, runProgram } from './run-program.ts';
import { parseShellLine, type ShellCommand } from './shell-line.ts';

export type ExecEffects = Generator<Effect, void, void>;

/** What every command run in the container sees: its environment, hostname, files and clock. */
export function execContext(
  pod: Pod,
  container: Container,
  lookup: ObjectLookup,
  o: { network: PodNetwork; now: () => number },
): Resolved<RunContext> {
  const env = resolveEnv(pod, container, lookup, o.network);
  if (!env.ok) return env;
  const hostname = pod.spec.hostname ?? pod.metadata.name ?? '';
  return { ok: true, value: { env: env.value, hostname, files: mountedFiles(pod, container, lookup), now: o.now } };
}

/** A bare shell (`sh`, `/bin/bash`) reads its commands from stdin: the interactive case. */
export const isInteractiveShell = (command: readonly string[]): boolean => command.length === 1 && isShell(command[0]);

/** `exec -- argv...`: `sh -c SCRIPT` through the simulated shell, anything else as one command. */
export function commandEffects(command: readonly string[], context: RunContext): ExecEffects {
  const commands: ShellCommand[] =
    isShell(command[0]) && command[1] === '-c'
      ? parseShellLine(command[2] ?? '', context.env)
      : [{ connector: ';', argv: [...command] }];
  return runProgram({ kind: 'script', commands }, context);
}

/** One line typed into an interactive shell; `isExit` when it ends the session (`exit 2`). */
export function lineEffects(line: string, context: RunContext): { effects: ExecEffects; isExit: boolean } {
  const commands = parseShellLine(line, context.env);
  return {
    effects: runProgram({ kind: 'script', commands }, context),
    isExit: commands.some((c) => c.argv[0] === 'exit'),
  };
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
