import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningServer, type ServerBindings, startServer } from './server.ts';

let server: RunningServer;

// /accept takes the connection and echoes one message back; anything else is refused with a Status.
const handler = async (request: Request, env: ServerBindings) => {
  if (new URL(request.url).pathname === '/accept' && env.upgrade) {
    const socket = await env.upgrade.accept();
    socket.once('message', (data: Buffer) => socket.send(Buffer.concat([Buffer.of(1), data])));
    return new Response(null, { status: 204 });
  }
  return Response.json({ kind: 'Status', code: 403, message: 'no' }, { status: 403 });
};

beforeAll(async () => {
  server = await startServer({ fetch: handler, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close();
});

const wsUrl = (path: string) => `${server.url.replace(/^http/, 'ws')}${path}`;

describe('HTTP upgrades', () => {
  it('hands the WebSocket to a handler that accepts it, with a channel protocol chosen', async () => {
    const socket = new WebSocket(wsUrl('/accept'), ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(socket.protocol).toBe('v5.channel.k8s.io');
    const reply = new Promise<Buffer>((resolve) => socket.once('message', (data: Buffer) => resolve(data)));
    socket.send('ping');
    expect([...(await reply)]).toEqual([1, ...Buffer.from('ping')]);
    socket.close();
  });

  it('writes the handler response on the socket when it does not accept', async () => {
    const socket = new WebSocket(wsUrl('/other'), ['v4.channel.k8s.io']);
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      socket.once('open', () => reject(new Error('upgraded')));
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ kind: 'Status', message: 'no' });
  });
});
