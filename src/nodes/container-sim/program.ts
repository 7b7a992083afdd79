/**
 * Turns a container's command/args into a simulated program: either a server (no command: the
 * image's entrypoint is assumed to serve until stopped) or a list of shell commands.
 */
import type { Container } from '../api-types.ts';
import { expandKubeReferences } from './kube-expand.ts';
import { parseShellLine, type ShellCommand } from './shell-line.ts';

export type Program = { kind: 'server' } | { kind: 'script'; commands: ShellCommand[] };

const shells = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** `sh`, `/bin/bash` and the other shells the simulation understands. */
export const isShell = (word: string | undefined): boolean => shells.has(basename(word ?? ''));

/**
 * `env` holds the container's resolved environment; it feeds both Kubernetes `$(VAR)` references in
 * command/args and `$VAR` in `sh -c` scripts.
 */
export function toProgram(container: Container, env: ReadonlyMap<string, string>): Program {
  const command = (container.command ?? []).map((w) => expandKubeReferences(w, env));
  const args = (container.args ?? []).map((w) => expandKubeReferences(w, env));
  if (command.length === 0 && args.length === 0) return { kind: 'server' };
  // agnhost's image entrypoint is the agnhost binary: `args: [pause]` means `agnhost pause`.
  const entrypoint = command.length === 0 && (container.image ?? '').includes('agnhost') ? ['agnhost'] : [];
  const argv = [...entrypoint, ...command, ...args];
  if (isShell(argv[0])) {
    const flag = argv.indexOf('-c');
    if (flag > 0) return { kind: 'script', commands: parseShellLine(argv[flag + 1] ?? '', env) };
    // `sh` alone reads stdin, which never comes: it waits like a server.
    return { kind: 'server' };
  }
  return { kind: 'script', commands: [{ connector: ';', argv }] };
}
