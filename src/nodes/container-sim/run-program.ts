/**
 * Runs a simulated program as a lazy sequence of effects the engine plays against its clock: log a
 * line, sleep, exit with a code, or run forever. Lazy because `while true; do …; done` never ends.
 */
import { builtins, type CommandContext, type CommandResult, type Effect, isCommandResult } from './builtins.ts';

export type { Effect } from './builtins.ts';

import type { Program } from './program.ts';
import type { ShellCommand } from './shell-line.ts';

export type RunContext = CommandContext;

/** Yields effects until one `exit` or `forever`, which is always the last. */
export function* runProgram(program: Program, context: RunContext): Generator<Effect, void, void> {
  if (program.kind === 'server') {
    yield { type: 'forever' };
    return;
  }
  const outcome = yield* runList(program.commands, context);
  yield outcome.stop ?? { type: 'exit', code: outcome.status };
}

type ListOutcome = CommandResult;

function* runList(commands: readonly ShellCommand[], context: RunContext): Generator<Effect, ListOutcome, void> {
  let status = 0;
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i] as ShellCommand;
    if (command.connector === '&&' && status !== 0) continue;
    if (command.connector === '||' && status === 0) continue;
    if (command.argv[0] === 'while' || command.argv[0] === 'until') {
      const end = findDone(commands, i);
      const outcome = yield* runLoop(commands.slice(i, end + 1), context);
      if (outcome.stop) return outcome;
      status = outcome.status;
      i = end;
      continue;
    }
    const result = yield* runCommand(command.argv, context);
    if (result.stop) return result;
    status = result.status;
  }
  return { status };
}

/** Index of the `done` closing the loop that starts at `start` (nesting counted). */
function findDone(commands: readonly ShellCommand[], start: number): number {
  let depth = 0;
  for (let i = start; i < commands.length; i++) {
    const argv = commands[i]?.argv ?? [];
    if (argv[0] === 'while' || argv[0] === 'until') depth++;
    if (argv[0] === 'done' || argv.at(-1) === 'done') depth--;
    if (depth === 0) return i;
  }
  return commands.length - 1;
}

/** `while COND; do BODY; done` with COND and BODY as simple commands. */
function* runLoop(block: readonly ShellCommand[], context: RunContext): Generator<Effect, ListOutcome, void> {
  const isUntil = block[0]?.argv[0] === 'until';
  const condition: ShellCommand[] = [{ connector: ';', argv: block[0]?.argv.slice(1) ?? [] }];
  const body: ShellCommand[] = [];
  for (const command of block.slice(1)) {
    const argv = command.argv[0] === 'do' ? command.argv.slice(1) : command.argv;
    const trimmed = argv.at(-1) === 'done' ? argv.slice(0, -1) : argv;
    if (trimmed.length > 0) body.push({ connector: command.connector, argv: trimmed });
  }
  let status = 0;
  for (;;) {
    const check = yield* runList(condition, context);
    if (check.stop) return check;
    if ((check.status === 0) === isUntil) return { status };
    let slept = false;
    const run = runList(body, context);
    let next = run.next();
    while (!next.done) {
      if (next.value.type === 'sleep') slept = true;
      yield next.value;
      next = run.next();
    }
    if (next.value.stop) return next.value;
    status = next.value.status;
    // A loop without a sleep would spin forever in no time; a real one burns CPU. Pace it at 1 s.
    if (!slept) yield { type: 'sleep', ms: 1000 };
  }
}

function* runCommand(argv: readonly string[], context: RunContext): Generator<Effect, ListOutcome, void> {
  const name = argv[0] ?? '';
  const builtin = builtins[name.slice(name.lastIndexOf('/') + 1)];
  if (builtin) {
    const outcome = builtin(argv.slice(1), context);
    return isCommandResult(outcome) ? outcome : yield* outcome;
  }
  yield { type: 'log', line: `wharf: "${name}" is not simulated; it ran for 1s and succeeded` };
  yield { type: 'sleep', ms: 1000 };
  return { status: 0 };
}
