/**
 * The listening socket of the API server: HTTPS with optional client certificates (or plain HTTP for
 * tests and benches), bridged to a fetch-style handler through @hono/node-server.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { type StatusError, unauthorized } from '../status.ts';
import type { PeerCertificate } from './auth/authenticator.ts';
import { hasPeerCertificate, verifiedPeerCertificate } from './auth/peer-certificate.ts';
import { channelProtocols, type UpgradeBinding } from './pod-exec.ts';

/** What the handler receives besides the Request: the Node objects, and the verified client certificate. */
export interface ServerBindings extends HttpBindings {
  peerCertificate?: PeerCertificate;
  /** Only for a request that asked to upgrade the connection (WebSocket). */
  upgrade?: UpgradeBinding;
}

export type FetchHandler = (request: Request, env: ServerBindings) => Response | Promise<Response>;

export interface TlsMaterial {
  /** PEM private key and certificate chain of the server. */
  key: string;
  cert: string;
  /** PEM CA that client certificates must chain to. */
  ca: string;
}

export interface ServerOptions {
  fetch: FetchHandler;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Without it the server speaks plain HTTP (tests and benches only). */
  tls?: TlsMaterial;
}

export interface RunningServer {
  host: string;
  port: number;
  /** e.g. `https://127.0.0.1:6443`. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // A certificate cannot change during a connection, so judge it once per socket, not per request.
  const certificates = new WeakMap<Socket, PeerCertificate | 'none' | 'unverified'>();
  const certificateOf = (socket: Socket) => {
    let certificate = certificates.get(socket);
    if (certificate === undefined) {
      certificate = verifiedPeerCertificate(socket) ?? (hasPeerCertificate(socket) ? 'unverified' : 'none');
      certificates.set(socket, certificate);
    }
    return certificate;
  };
  const handle = (request: Request, bindings: ServerBindings) => {
    if (!options.tls) return options.fetch(request, bindings);
    const certificate = certificateOf(bindings.incoming.socket);
    // A certificate our CA did not sign must never reach code that might read its subject from the
    // socket: kube-apiserver's x509 authenticator fails such a request with 401 too.
    if (certificate === 'unverified') return statusResponse(unauthorized());
    return options.fetch(request, certificate === 'none' ? bindings : { ...bindings, peerCertificate: certificate });
  };
  const listener = getRequestListener((request, env) => handle(request, env as HttpBindings));
  const server: Server = options.tls
    ? createHttpsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ca: options.tls.ca,
          // Ask for a client certificate but let token users and anonymous health checks in; the
          // authenticator trusts only certificates the handshake verified (socket.authorized).
          requestCert: true,
          rejectUnauthorized: false,
        },
        listener,
      )
    : createHttpServer(listener);
  serveUpgrades(server, handle, options.tls ? 'https' : 'http');
  // Every TCP socket, tracked from accept, so that close() ends them all: closeAllConnections() reaches
  // only the sockets the HTTP layer owns, not one still in its TLS handshake (whose request, served
  // after close(), left a keep-alive connection holding close() open for keepAliveTimeout: a 60 s
  // hang seen in the e2e tests) nor one handed to a WebSocket.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Watches are long-lived responses; only idle keep-alive sockets should time out.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${options.host.replace(/^\[|\]$/g, '')}]` : options.host;
  return {
    host: options.host,
    port: address.port,
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open watch streams (and exec sessions) would keep close() waiting for ever.
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function statusResponse(error: StatusError): Response {
  return Response.json(error.status, { status: error.code });
}

/**
 * HTTP upgrades (kubectl exec's WebSocket) bypass the request listener: they go through the same handler
 * (authentication, authorization, routing) with an `upgrade` binding the handler may accept; a
 * handler that answers instead (401, 403, 404, 400) has its response written on the raw socket.
 */
function serveUpgrades(
  server: Server,
  handle: (request: Request, bindings: ServerBindings) => Response | Promise<Response>,
  scheme: string,
): void {
  const sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => channelProtocols.find((p) => offered.has(p)) ?? false,
  });
  server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    let isAccepted = false;
    const upgrade: UpgradeBinding = {
      accept: () =>
        new Promise((resolve) => {
          isAccepted = true;
          sockets.handleUpgrade(incoming, socket, head, resolve);
        }),
    };
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(key, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    }
    const request = new Request(`${scheme}://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`, {
      method: incoming.method ?? 'GET',
      headers,
    });
    // No ServerResponse exists for an upgrade; nothing on this path writes to one.
    const bindings = { incoming, outgoing: undefined, upgrade } as unknown as ServerBindings;
    Promise.resolve(handle(request, bindings))
      .then(async (response) => {
        if (!isAccepted) await writeRawResponse(socket, response);
      })
      .catch(() => socket.destroy());
  });
}

async function writeRawResponse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`];
  response.headers.forEach((value, key) => {
    if (key !== 'content-length' && key !== 'transfer-encoding') lines.push(`${key}: ${value}`);
  });
  lines.push(`content-length: ${body.length}`, 'connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]));
}
