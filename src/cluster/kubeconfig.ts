/**
 * The kubeconfig `wharf up` writes: cluster `wharf` (our CA), user `wharf-admin` (the admin client
 * certificate), context `wharf` in namespace default. Written as YAML by hand so start-up does not
 * load a YAML library.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KubeconfigOptions {
  server: string;
  caCertificate: string;
  clientCertificate: string;
  clientKey: string;
  namespace?: string;
}

const base64 = (pem: string) => Buffer.from(pem).toString('base64');

export function renderKubeconfig(options: KubeconfigOptions): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: wharf
  cluster:
    server: ${options.server}
    certificate-authority-data: ${base64(options.caCertificate)}
users:
- name: wharf-admin
  user:
    client-certificate-data: ${base64(options.clientCertificate)}
    client-key-data: ${base64(options.clientKey)}
contexts:
- name: wharf
  context:
    cluster: wharf
    user: wharf-admin
    namespace: ${options.namespace ?? 'default'}
current-context: wharf
preferences: {}
`;
}

/** Writes atomically with mode 0600: it holds the admin key. */
export function writeKubeconfig(path: string, options: KubeconfigOptions): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, renderKubeconfig(options), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
