import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { storageClassPrinter } from './printers/storage.ts';
import { cells } from './printers/testing.ts';
import { admin, newTestRegistry } from './testing/test-registry.ts';

describe('the seeded default StorageClass', () => {
  it('is kind-like: standard, default, WaitForFirstConsumer, Delete, the simulated provisioner', async () => {
    const t = await newTestRegistry();
    const storageClass = (await t.registry.get(
      t.def('storageclasses', 'storage.k8s.io'),
      undefined,
      'standard',
      {},
      admin,
    )) as KubeObject;
    expect(storageClass).toMatchObject({
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'sim.wharf.dev/hostpath',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
    });
    // What `kubectl get storageclass` shows on kind.
    expect(cells(storageClassPrinter, storageClass)).toMatchObject({
      Name: 'standard (default)',
      Provisioner: 'sim.wharf.dev/hostpath',
      ReclaimPolicy: 'Delete',
      VolumeBindingMode: 'WaitForFirstConsumer',
      AllowVolumeExpansion: false,
    });
  });

  it('is the user’s after the first start: a restart neither re-creates it nor undoes a change', async () => {
    const first = await newTestRegistry();
    const def = first.def('storageclasses', 'storage.k8s.io');
    const patch = { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } } };
    await first.registry.patch(def, undefined, 'standard', 'merge', patch, admin);

    const restarted = await newTestRegistry({ store: first.store });
    const changed = (await restarted.registry.get(def, undefined, 'standard', {}, admin)) as KubeObject;
    expect(changed.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('false');

    await restarted.registry.delete(def, undefined, 'standard', {}, admin);
    const again = await newTestRegistry({ store: first.store });
    const list = await again.registry.list(def, undefined, {}, admin);
    expect(list.items.map((c) => c.metadata.name)).toEqual([]);
  });
});
