import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runShell } from './exec-session.ts';
import { type RunningServer, type ServerBindings, startServer } from './server.ts';

let server: RunningServer;
const context = { env: new Map([['MODE', 'test']]), hostname: 'web', files: new Map(), now: () => 0 };

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    fetch: async (request: Request, env: ServerBindings) => {
      const socket = await (env.upgrade as NonNullable<ServerBindings['upgrade']>).accept();
      void runShell(socket, context, { tty: new URL(request.url).searchParams.has('tty'), command: ['sh'] });
      return new Response(null, { status: 204 });
    },
  });
});
afterAll(async () => {
  await server.close();
});

/** Types `input` into a shell session and returns its stdout and the closing Status. */
async function session(query: string, input: string[]): Promise<{ stdout: string; status: unknown }> {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/exec${query}`, ['v5.channel.k8s.io']);
  let stdout = '';
  let status: unknown;
  // Listen before the handshake completes: the prompt can come in the same tick as 'open'.
  socket.on('message', (data: Buffer) => {
    if (data[0] === 1) stdout += data.subarray(1).toString();
    if (data[0] === 3) status = JSON.parse(data.subarray(1).toString());
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  for (const chunk of input) socket.send(Buffer.concat([Buffer.of(0), Buffer.from(chunk)]));
  await ended;
  return { stdout, status };
}

describe('an interactive shell over exec', () => {
  it('runs each line read from stdin and ends with the exit code of exit', async () => {
    const result = await session('', ['echo $MODE\n', 'exit 3\n']);
    expect(result.stdout).toBe('test\n');
    expect(result.status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode' });
  });

  it('with a terminal, echoes typed keys, erases on backspace, prompts, and ends on Ctrl-D', async () => {
    const result = await session('?tty', ['echo ab\x7fc\r', '\x04']);
    expect(result.stdout).toBe('/ # echo ab\b \bc\r\nac\r\n/ # ');
    expect(result.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('ends on stdin being closed (the v5 close message)', async () => {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/exec`, ['v5.channel.k8s.io']);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const status = new Promise<unknown>((resolve) =>
      socket.on('message', (data: Buffer) => data[0] === 3 && resolve(JSON.parse(data.subarray(1).toString()))),
    );
    socket.send(Buffer.of(255, 0));
    expect(await status).toEqual({ metadata: {}, status: 'Success' });
  });
});
