import { describe, expect, it } from 'vitest';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage.ts';
import { ago, cells, object } from './testing.ts';

describe('storage class printer', () => {
  it.each([
    ['no annotation', {}, 'standard'],
    ['the GA default annotation', { 'storageclass.kubernetes.io/is-default-class': 'true' }, 'standard (default)'],
    [
      'the beta default annotation',
      { 'storageclass.beta.kubernetes.io/is-default-class': 'true' },
      'standard (default)',
    ],
    ['an annotation that is not "true"', { 'storageclass.kubernetes.io/is-default-class': 'false' }, 'standard'],
  ])('marks the name for %s', (_case, annotations, expected) => {
    const storageClass = object(
      'StorageClass',
      { provisioner: 'rancher.io/local-path' },
      { name: 'standard', annotations },
    );
    expect(cells(storageClassPrinter, storageClass).Name).toBe(expected);
  });

  it('prints defaults for reclaim policy, binding mode and expansion', () => {
    const row = cells(storageClassPrinter, object('StorageClass', { provisioner: 'p' }));
    expect(row).toMatchObject({
      Provisioner: 'p',
      ReclaimPolicy: 'Delete',
      VolumeBindingMode: 'Immediate',
      AllowVolumeExpansion: false,
    });
  });
});

describe('persistent volume printers', () => {
  it('prints a bound volume', () => {
    const volume = object('PersistentVolume', {
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'standard',
      },
      status: { phase: 'Bound' },
    });
    expect(cells(persistentVolumePrinter, volume)).toMatchObject({
      Capacity: '10Gi',
      'Access Modes': 'RWO,RWX',
      'Reclaim Policy': 'Delete',
      Status: 'Bound',
      Claim: 'default/data',
      StorageClass: 'standard',
      VolumeAttributesClass: '<unset>',
      VolumeMode: 'Filesystem',
    });
  });

  it('leaves capacity and access modes empty until a claim is bound, and shows Terminating', () => {
    const pending = object('PersistentVolumeClaim', {
      spec: { resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Pending' },
    });
    expect(cells(persistentVolumeClaimPrinter, pending)).toMatchObject({
      Status: 'Pending',
      Volume: '',
      Capacity: '',
      'Access Modes': '',
    });
    const deleting = object(
      'PersistentVolumeClaim',
      {
        spec: { volumeName: 'pv-1' },
        status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
      },
      { deletionTimestamp: ago(0), annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
    );
    expect(cells(persistentVolumeClaimPrinter, deleting)).toMatchObject({
      Status: 'Terminating',
      Capacity: '1Gi',
      'Access Modes': 'RWO',
      StorageClass: 'legacy',
    });
  });
});
