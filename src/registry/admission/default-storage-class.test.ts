import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types/meta.ts';
import { admin, newTestRegistry, type TestRegistry } from '../testing/test-registry.ts';

type ClaimOut = KubeObject & { spec: { storageClassName?: string } };

describe('DefaultStorageClass admission', () => {
  let t: TestRegistry;
  const claim = async (name: string, spec: object = {}, annotations?: Record<string, string>) =>
    (await t.create('persistentvolumeclaims', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, ...(annotations ? { annotations } : {}) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
    })) as ClaimOut;
  const storageClass = (name: string, isDefault: boolean) =>
    t.create(
      'storageclasses',
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name,
          annotations: { 'storageclass.kubernetes.io/is-default-class': isDefault ? 'true' : 'false' },
        },
        provisioner: 'example.com/disk',
      },
      undefined,
      'storage.k8s.io',
    );
  const deleteClass = (name: string) =>
    t.registry.delete(t.def('storageclasses', 'storage.k8s.io'), undefined, name, {}, admin);

  beforeEach(async () => {
    t = await newTestRegistry();
  });

  it('gives a claim without a class the seeded default, standard', async () => {
    expect((await claim('data')).spec.storageClassName).toBe('standard');
  });

  it('leaves an explicit "" (no class) and a named class alone', async () => {
    expect((await claim('static', { storageClassName: '' })).spec.storageClassName).toBe('');
    expect((await claim('fast', { storageClassName: 'fast' })).spec.storageClassName).toBe('fast');
  });

  it('leaves a claim that names its class in the beta annotation alone', async () => {
    const out = await claim('beta', {}, { 'volume.beta.kubernetes.io/storage-class': 'slow' });
    expect(out.spec.storageClassName).toBeUndefined();
  });

  it('leaves the claim unchanged when no class is marked default', async () => {
    await deleteClass('standard');
    await storageClass('plain', false);
    expect((await claim('data')).spec.storageClassName).toBeUndefined();
  });

  it('picks the newest of several default classes, then the first by name', async () => {
    t.clock.now += 60_000;
    await storageClass('zeta', true);
    await storageClass('alpha', true);
    // alpha and zeta share a creationTimestamp (whole seconds), both newer than standard.
    expect((await claim('tie')).spec.storageClassName).toBe('alpha');
    t.clock.now += 60_000;
    await storageClass('newest', true);
    expect((await claim('newer')).spec.storageClassName).toBe('newest');
  });
});
