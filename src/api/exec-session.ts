/**
 * One `kubectl exec` session on an accepted WebSocket (channel protocol: the first byte of each binary
 * message is its stream: 0 stdin, 1 stdout, 3 the closing Status, 4 terminal size; v5 adds 255, whose
 * payload [0] says stdin was closed). A command plays to its end; a bare shell with stdin reads lines
 * and runs each, and with a terminal (-t) also echoes what is typed, as a pty would, and prints a prompt.
 */
import type { WebSocket } from 'ws';
import type { Effect } from '../nodes/container-sim/builtins.ts';
import { type ExecEffects, lineEffects } from '../nodes/container-sim/exec-command.ts';
import type { RunContext } from '../nodes/container-sim/run-program.ts';

const stdinChannel = 0;
const stdoutChannel = 1;
const errorChannel = 3;
const closeSignal = 255;
const prompt = '/ # ';

interface Session {
  send(text: string): void;
  /** Resolves when the client has gone. */
  closed: Promise<void>;
  isClosed(): boolean;
  finish(code: number, command: readonly string[]): void;
}

function openSession(socket: WebSocket, tty: boolean): Session {
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  const send = (text: string) => {
    if (isClosed || text === '') return;
    const out = tty ? text.replace(/\r?\n/g, '\r\n') : text;
    socket.send(Buffer.concat([Buffer.of(stdoutChannel), Buffer.from(out)]));
  };
  return {
    send,
    closed,
    isClosed: () => isClosed,
    finish(code, command) {
      if (isClosed) return;
      socket.send(Buffer.concat([Buffer.of(errorChannel), Buffer.from(JSON.stringify(exitStatus(code, command)))]));
      socket.close(1000);
    },
  };
}

/** Ctrl-C in a shell: cuts short the command running, however it is waiting. */
interface Interrupt {
  fire(): void;
  isFired(): boolean;
  fired: Promise<void>;
}

function newInterrupt(): Interrupt {
  let isFired = false;
  let fire = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = () => {
      isFired = true;
      resolve();
    };
  });
  return { fire, isFired: () => isFired, fired };
}

/** Plays effects to the client until the program exits; its exit code, or undefined if cut short. */
async function play(session: Session, effects: ExecEffects, interrupt?: Interrupt): Promise<number | undefined> {
  for (const effect of effects as Iterable<Effect>) {
    if (session.isClosed() || interrupt?.isFired()) return undefined;
    if (effect.type === 'log') session.send(`${effect.line}\n`);
    else if (effect.type === 'exit') return effect.code;
    else {
      // Sleeps take real time; a server program runs until the client goes (or, in a shell, Ctrl-C).
      let timer: NodeJS.Timeout | undefined;
      const slept = new Promise<void>((resolve) => {
        if (effect.type === 'sleep') timer = setTimeout(resolve, effect.ms);
      });
      await Promise.race([session.closed, slept, ...(interrupt ? [interrupt.fired] : [])]);
      clearTimeout(timer);
    }
  }
  return 0;
}

/** attach to a container that reads no stdin: its output from now on, until it exits or the client goes. */
export async function followOutput(
  socket: WebSocket,
  output: ReadableStream<Uint8Array>,
  abort: AbortController,
): Promise<void> {
  const session = openSession(socket, false);
  void session.closed.then(() => abort.abort());
  const reader = output.getReader();
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      session.send(Buffer.from(chunk.value).toString());
    }
  } catch {
    // The stream ends with an abort error when the client went away.
  }
  session.finish(0, []);
}

export async function runCommand(socket: WebSocket, effects: ExecEffects, command: readonly string[]): Promise<void> {
  const session = openSession(socket, false);
  const code = await play(session, effects);
  if (code !== undefined) session.finish(code, command);
}

/** A bare shell reading lines from stdin; with `tty`, echo, backspace, Ctrl-C and Ctrl-D as a terminal has them. */
export async function runShell(
  socket: WebSocket,
  context: RunContext,
  o: {
    tty: boolean;
    command: readonly string[];
    /** For attach: the container ends with the code (kubectl reads it from the pod), the stream ends in Success. */
    onExit?: (code: number) => void;
  },
): Promise<void> {
  const session = openSession(socket, o.tty);
  const lines: (string | undefined)[] = [];
  let wake: (() => void) | undefined;
  let typed = '';
  let interrupt = newInterrupt();
  const push = (line: string | undefined) => {
    lines.push(line);
    wake?.();
  };
  socket.on('message', (data: Buffer) => {
    if (data[0] === closeSignal && data[1] === stdinChannel) push(undefined);
    if (data[0] !== stdinChannel) return;
    for (const char of data.subarray(1).toString()) {
      if (!o.tty) {
        if (char === '\n') push(typed);
        else typed += char;
        if (char === '\n') typed = '';
        continue;
      }
      if (char === '\r' || char === '\n') {
        session.send('\n');
        push(typed);
        typed = '';
      } else if (char === '\x7f' || char === '\b') {
        if (typed) session.send('\b \b');
        typed = typed.slice(0, -1);
      } else if (char === '\x03') {
        session.send('^C\n');
        typed = '';
        interrupt.fire();
        push('');
      } else if (char === '\x04') {
        if (typed === '') push(undefined);
      } else if (char >= ' ') {
        typed += char;
        session.send(char);
      }
    }
  });
  session.closed.then(() => wake?.());
  let code = 0;
  for (;;) {
    if (o.tty) session.send(prompt);
    while (lines.length === 0 && !session.isClosed()) await new Promise<void>((resolve) => (wake = resolve));
    if (session.isClosed()) return;
    const line = lines.shift();
    if (line === undefined) break;
    interrupt = newInterrupt();
    if (line.trim() === '') continue;
    const { effects, isExit } = lineEffects(line, context);
    const result = await play(session, effects, interrupt);
    if (result !== undefined) code = result;
    if (isExit && result !== undefined) break;
  }
  session.finish(o.onExit ? 0 : code, o.command);
  o.onExit?.(code);
}

function exitStatus(code: number, command: readonly string[]) {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}
