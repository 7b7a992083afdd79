import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKubeconfig } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'wharf-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

const twoContexts = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: plain',
  '  cluster: {server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true}',
  '- name: secure',
  '  cluster: {server: "https://10.0.0.1:6443/", certificate-authority-data: ' +
    Buffer.from('CA PEM').toString('base64') +
    '}',
  'users:',
  '- name: tok',
  '  user: {token: any-string}',
  'contexts:',
  '- name: a',
  '  context: {cluster: plain, user: tok}',
  '- name: b',
  '  context: {cluster: secure, namespace: kube-system}',
  'current-context: a',
];

describe('loadKubeconfig', () => {
  it('uses the current context: server, token, insecure-skip-tls-verify, namespace default', () => {
    expect(loadKubeconfig(write('two.kubeconfig', twoContexts))).toEqual({
      server: 'http://127.0.0.1:8080',
      token: 'any-string',
      insecureSkipTLSVerify: true,
      namespace: 'default',
    });
  });

  it('uses a named context, with CA data and no user', () => {
    expect(loadKubeconfig(join(dir, 'two.kubeconfig'), { context: 'b' })).toEqual({
      server: 'https://10.0.0.1:6443/',
      ca: 'CA PEM',
      namespace: 'kube-system',
    });
  });

  it('names what is missing', () => {
    expect(() => loadKubeconfig(join(dir, 'two.kubeconfig'), { context: 'nope' })).toThrow('no context named "nope"');
    expect(() => loadKubeconfig(write('scalar.kubeconfig', ['just a string']))).toThrow('not a YAML mapping');
  });
});
