/**
 * Reads a kubeconfig into HTTP client options: the current (or named) context's cluster and user,
 * with file references resolved relative to the kubeconfig's directory, as kubectl does.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { load } from 'js-yaml';
import type { HttpClientOptions } from './http-client.ts';

export interface KubeconfigOptions extends HttpClientOptions {
  /** The context's namespace, or 'default'. */
  namespace: string;
}

type Named = { name?: unknown; [section: string]: unknown };

function section(list: unknown, name: unknown, field: string): Record<string, unknown> {
  const entries = Array.isArray(list) ? (list as Named[]) : [];
  const entry = entries.find((e) => e && e.name === name);
  if (!entry) throw new Error(`kubeconfig: no ${field} named ${JSON.stringify(name)}`);
  const value = entry[field];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `<field>-data` (base64) wins over `<field>` (a path), as in client-go. */
function material(o: Record<string, unknown>, field: string, dir: string): string | undefined {
  const data = str(o[`${field}-data`]);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = str(o[field]);
  return file ? readFileSync(resolve(dir, file), 'utf8') : undefined;
}

export function loadKubeconfig(path: string, o: { context?: string } = {}): KubeconfigOptions {
  const doc = load(readFileSync(path, 'utf8'));
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`kubeconfig ${path}: not a YAML mapping`);
  const config = doc as Record<string, unknown>;
  const dir = dirname(resolve(path));
  const contextName = o.context ?? config['current-context'];
  const context = section(config.contexts, contextName, 'context');
  const cluster = section(config.clusters, context.cluster, 'cluster');
  const user = context.user === undefined ? {} : section(config.users, context.user, 'user');
  const server = str(cluster.server);
  if (!server) throw new Error(`kubeconfig ${path}: cluster ${String(context.cluster)} has no server`);

  const result: KubeconfigOptions = { server, namespace: str(context.namespace) ?? 'default' };
  const ca = material(cluster, 'certificate-authority', dir);
  const cert = material(user, 'client-certificate', dir);
  const key = material(user, 'client-key', dir);
  const tokenFile = str(user.tokenFile);
  const token = str(user.token) ?? (tokenFile ? readFileSync(resolve(dir, tokenFile), 'utf8').trim() : undefined);
  if (ca) result.ca = ca;
  if (cert) result.cert = cert;
  if (key) result.key = key;
  if (token) result.token = token;
  if (cluster['insecure-skip-tls-verify'] === true) result.insecureSkipTLSVerify = true;
  return result;
}
