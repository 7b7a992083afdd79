/**
 * The commands a simulated container understands. Each is a generator of effects returning its
 * exit status; `stop` ends the whole program (`exit 3`, `sleep infinity`).
 */
import { parseDurationMs } from './duration.ts';

export type Effect =
  | { type: 'log'; line: string }
  | { type: 'sleep'; ms: number }
  | { type: 'exit'; code: number }
  | { type: 'forever' };

/** True for a finished result, false for a generator still to be run. */
export function isCommandResult(value: Steps | CommandResult): value is CommandResult {
  return 'status' in value;
}

export interface CommandResult {
  status: number;
  stop?: Effect;
}

export interface CommandContext {
  /** The container's environment, in definition order (what `env` prints). */
  env: ReadonlyMap<string, string>;
  /** The pod name, which is what `hostname` prints in a pod. */
  hostname: string;
  /** Files from configMap/secret volume mounts: absolute path → content. */
  files: ReadonlyMap<string, string>;
  /** Simulated wall clock, ms since epoch (for `date`). */
  now(): number;
}

type Steps = Generator<Effect, CommandResult, void>;

/** Commands that only compute a status return it directly; those with output are generators. */
type Builtin = (args: readonly string[], context: CommandContext) => Steps | CommandResult;

const succeed = (): CommandResult => ({ status: 0 });

function* echo(args: readonly string[]): Generator<Effect, CommandResult, void> {
  const words = args[0] === '-n' || args[0] === '-e' ? args.slice(1) : args;
  for (const line of words.join(' ').split('\n')) yield { type: 'log', line };
  return { status: 0 };
}

/** printf FORMAT ARGS: %s and %d take the next argument; \n ends a line. */
function* printf(args: readonly string[]): Generator<Effect, CommandResult, void> {
  let rest = args.slice(1);
  const text = (args[0] ?? '').replace(/\\n/g, '\n').replace(/%[sd]/g, () => {
    const value = rest[0] ?? '';
    rest = rest.slice(1);
    return value;
  });
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  for (const line of lines) if (text !== '') yield { type: 'log', line };
  return { status: 0 };
}

function* sleep(args: readonly string[]): Generator<Effect, CommandResult, void> {
  const arg = args[0] ?? '';
  if (arg === 'infinity' || arg === 'inf') return { status: 0, stop: { type: 'forever' } };
  const ms = parseDurationMs(arg);
  if (ms === undefined) {
    yield { type: 'log', line: `sleep: invalid time interval '${arg}'` };
    return { status: 1 };
  }
  yield { type: 'sleep', ms };
  return { status: 0 };
}

function exit(args: readonly string[]): CommandResult {
  const code = Number.parseInt(args[0] ?? '0', 10);
  const status = Number.isNaN(code) ? 2 : code & 0xff;
  return { status, stop: { type: 'exit', code: status } };
}

function* env(_args: readonly string[], context: CommandContext): Generator<Effect, CommandResult, void> {
  for (const [name, value] of context.env) yield { type: 'log', line: `${name}=${value}` };
  return { status: 0 };
}

function* printenv(args: readonly string[], context: CommandContext): Generator<Effect, CommandResult, void> {
  if (args.length === 0) return yield* env(args, context);
  let status = 0;
  for (const name of args) {
    const value = context.env.get(name);
    if (value === undefined) status = 1;
    else yield { type: 'log', line: value };
  }
  return { status };
}

function* hostname(_args: readonly string[], context: CommandContext): Generator<Effect, CommandResult, void> {
  yield { type: 'log', line: context.hostname };
  return { status: 0 };
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** coreutils `date` in UTC: `Mon Jan  2 15:04:05 UTC 2006`. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${day} ${time} UTC ${d.getUTCFullYear()}`;
}

function* date(_args: readonly string[], context: CommandContext): Generator<Effect, CommandResult, void> {
  yield { type: 'log', line: formatDate(context.now()) };
  return { status: 0 };
}

function* cat(args: readonly string[], context: CommandContext): Generator<Effect, CommandResult, void> {
  let status = 0;
  for (const path of args.filter((a) => !a.startsWith('-'))) {
    const content = context.files.get(path);
    if (content === undefined) {
      yield { type: 'log', line: `cat: ${path}: No such file or directory` };
      status = 1;
      continue;
    }
    const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
    for (const line of lines) yield { type: 'log', line };
  }
  return { status };
}

/** `tail -f …` follows forever; other tails are treated like `cat`. */
function tail(args: readonly string[], context: CommandContext): Steps | CommandResult {
  if (args.includes('-f') || args.includes('-F')) return serve();
  return cat(
    args.filter((a, i) => !/^-/.test(a) && !/^-n$/.test(args[i - 1] ?? '')),
    context,
  );
}

const serve = (): CommandResult => ({ status: 0, stop: { type: 'forever' } });

/** agnhost subcommands used by upstream e2e tests; the servers among them run until stopped. */
const agnhostServers = new Set([
  'pause',
  'netexec',
  'serve-hostname',
  'porter',
  'test-webserver',
  'liveness',
  'nettest',
  'guestbook',
]);

function agnhost(args: readonly string[], context: CommandContext): Steps | CommandResult {
  return agnhostServers.has(args[0] ?? '') ? serve() : hostname([], context);
}

export const builtins: Readonly<Record<string, Builtin>> = {
  echo,
  printf,
  sleep,
  exit,
  true: succeed,
  ':': succeed,
  false: () => ({ status: 1 }),
  env,
  printenv,
  hostname,
  date,
  cat,
  tail,
  agnhost,
  nginx: serve,
  httpd: serve,
  'redis-server': serve,
  pause: serve,
};
