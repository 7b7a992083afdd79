/**
 * The kubelet's HTTPS endpoint for simulated nodes that run in their own process (`wharf nodes`): the
 * API server reaches a pod's kubelet at the node's InternalIP and status.daemonEndpoints port to read
 * logs, as kube-apiserver does. One server answers for every node of the process, as KWOK's does.
 *
 * Callers must present a client certificate signed by the cluster's CA (kubelet --client-ca-file); a
 * kube-apiserver presents its kubelet-client certificate. The serving certificate is self-signed:
 * kube-apiserver does not verify it unless told to (--kubelet-certificate-authority).
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { toLogOptions } from '../api/pod-log.ts';
import { createCertificate } from '../pki/certificate.ts';
import { isStatusError, notFound, type StatusError } from '../status.ts';
import type { PodLogs } from './logs.ts';

export interface KubeletServerOptions {
  logs: PodLogs;
  /** PEM of the CA whose client certificates may call (the cluster CA from the kubeconfig). */
  clientCA: string;
  /** Address to listen on, also put in the serving certificate. */
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

const containerLogsPath = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/;

export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const cert = createCertificate({
    subject: { commonName: `wharf-kubelet@${options.host}` },
    publicKey: createPublicKey(key),
    signingKey: key,
    role: 'server',
    altNames: [options.host],
    validDays: 365,
  });
  const server: Server = createServer(
    {
      key: key.export({ type: 'pkcs8', format: 'pem' }),
      cert,
      ca: options.clientCA,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const match = req.method === 'GET' ? containerLogsPath.exec(url.pathname) : null;
      const send = (err: StatusError) => {
        res.writeHead(err.code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(err.status));
      };
      if (!match) return send(notFound({ group: '', resource: 'path' }, url.pathname));
      const [namespace, pod, container] = match.slice(1).map(decodeURIComponent) as [string, string, string];
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      (async () => {
        const { stream: _stream, ...logOptions } = toLogOptions(pod, url.searchParams);
        const body = await options.logs.getLogs(namespace, pod, container, { ...logOptions, signal: abort.signal });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        // Flush each chunk as it comes so `kubectl logs -f` sees lines while the container runs.
        res.flushHeaders();
        Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>).pipe(res);
      })().catch((err: unknown) => {
        if (res.headersSent) return res.destroy();
        if (isStatusError(err)) return send(err);
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(err instanceof Error ? err.message : String(err));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
