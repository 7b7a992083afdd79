import { beforeEach, describe, expect, it } from 'vitest';
import { newTestRegistry, podBody, type TestRegistry } from '../testing/test-registry.ts';
import { tokenMountPath } from './service-account.ts';

interface Spec {
  volumes?: Array<{ name: string; projected?: { sources: object[] } }>;
  containers: Array<{ volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> }>;
  initContainers?: Array<{ volumeMounts?: Array<{ name: string; mountPath: string }> }>;
}

describe('ServiceAccount token admission', () => {
  let t: TestRegistry;
  const create = async (name: string, spec: Record<string, unknown> = {}) =>
    (await t.create('pods', podBody(name, spec))).spec as Spec;
  const account = (name: string, automountServiceAccountToken: boolean) =>
    t.create('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name },
      automountServiceAccountToken,
    });

  beforeEach(async () => {
    t = await newTestRegistry();
  });

  it('mounts a projected kube-api-access volume read-only in every container', async () => {
    const spec = await create('p', { initContainers: [{ name: 'init', image: 'busybox' }] });
    const volume = spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(volume?.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(volume?.projected?.sources).toEqual([
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ]);
    const mount = { name: volume?.name, readOnly: true, mountPath: tokenMountPath };
    expect(spec.containers[0]?.volumeMounts).toEqual([mount]);
    expect(spec.initContainers?.[0]?.volumeMounts).toEqual([mount]);
  });

  it("follows the pod's automountServiceAccountToken over its ServiceAccount's", async () => {
    await account('nomount', false);
    await account('mount', true);
    const mounted = (spec: Spec) =>
      spec.containers[0]?.volumeMounts?.some((m) => m.mountPath === tokenMountPath) ?? false;
    expect(mounted(await create('a', { serviceAccountName: 'nomount' }))).toBe(false);
    expect(mounted(await create('b', { serviceAccountName: 'nomount', automountServiceAccountToken: true }))).toBe(
      true,
    );
    expect(mounted(await create('c', { serviceAccountName: 'mount', automountServiceAccountToken: false }))).toBe(
      false,
    );
    expect(mounted(await create('d', { serviceAccountName: 'mount' }))).toBe(true);
  });

  it('leaves a container that mounts something at the token path alone', async () => {
    const own = { name: 'mine', mountPath: tokenMountPath };
    const spec = await create('p', {
      volumes: [{ name: 'mine', emptyDir: {} }],
      containers: [{ name: 'c', image: 'nginx', volumeMounts: [own] }],
    });
    expect(spec.volumes?.map((v) => v.name)).toEqual(['mine']);
    expect(spec.containers[0]?.volumeMounts).toEqual([own]);
  });
});
