/**
 * The API server's calls to a kubelet in another process (`wharf nodes`, or any kubelet endpoint a
 * Node advertises): HTTPS to the node's InternalIP at status.daemonEndpoints.kubeletEndpoint.Port,
 * authenticated by the API server's kubelet-client certificate, as kube-apiserver does. Like
 * kube-apiserver without --kubelet-certificate-authority, it does not verify the kubelet's serving
 * certificate: simulated kubelets sign their own.
 */
import { request } from 'node:https';
import { Readable } from 'node:stream';
import type { KeyPairPem } from '../pki/load-or-create-pki.ts';
import { type Status, StatusError, serviceUnavailable, statusError } from '../status.ts';

export interface KubeletNode {
  metadata: { name?: string };
  status?: {
    addresses?: { type: string; address: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

/** GETs `path` (with its query) from the node's kubelet: the body as it streams, or the kubelet's error. */
export function kubeletGet(
  node: KubeletNode,
  path: string,
  credentials: KeyPairPem,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!address || !port) throw serviceUnavailable(`node "${node.metadata.name}" has no kubelet address and port`);
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `https://${host}:${port}${path}`;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { cert: credentials.certificate, key: credentials.key, rejectUnauthorized: false, signal },
      (res) => {
        if (res.statusCode === 200) return resolve(Readable.toWeb(res) as ReadableStream<Uint8Array>);
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => reject(kubeletError(res.statusCode ?? 500, body)));
        res.on('error', reject);
      },
    );
    // Connection errors read as kube-apiserver's: the URL it tried and why it failed.
    req.on('error', (err) => reject(statusError(500, 'InternalError', `Get "${url}": ${err.message}`)));
    req.end();
  });
}

/** The kubelet's Status passed on as is; any other answer as an error with its code and text. */
function kubeletError(code: number, body: string): StatusError {
  try {
    const status = JSON.parse(body) as Status;
    if (status.kind === 'Status' && typeof status.message === 'string') return new StatusError({ ...status, code });
  } catch {
    // Not JSON: a plain-text answer.
  }
  return statusError(code, code === 404 ? 'NotFound' : code === 400 ? 'BadRequest' : 'InternalError', body.trim());
}
