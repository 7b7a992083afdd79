/** Printers for PersistentVolume, PersistentVolumeClaim and storage.k8s.io/v1 StorageClass. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { optionalBoolean, optionalText, quantity, record, text, texts } from './fields.ts';

/** The annotation that named a volume's class before spec.storageClassName existed; it still wins. */
const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';
const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
const betaDefaultClassAnnotation = 'storageclass.beta.kubernetes.io/is-default-class';

/** RWO, ROX, RWX, RWOP in that fixed order, each once (helper.GetAccessModesAsString). */
function accessModes(modes: readonly string[]): string {
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([mode]) => modes.includes(mode))
    .map(([, abbreviation]) => abbreviation)
    .join(',');
}

function storageClassOf(volume: unknown): string {
  const annotation = optionalText(volume, 'metadata', 'annotations', betaStorageClassAnnotation);
  return annotation ?? text(volume, 'spec', 'storageClassName');
}

/** Phase (defaulted to Pending on write), or Terminating once deletion has started. */
function phaseOf(volume: unknown): string {
  if (text(volume, 'metadata', 'deletionTimestamp') !== '') return 'Terminating';
  return text(volume, 'status', 'phase') || 'Pending';
}

const volumeModeDescription = 'Filesystem or Block.';

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    column('Capacity', 'string', 'The storage capacity of the volume.'),
    column('Access Modes', 'string', 'How the volume can be mounted: RWO, ROX, RWX, RWOP.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.'),
    column('Status', 'string', 'Phase of the volume: Available, Bound, Released or Failed.'),
    column('Claim', 'string', 'The claim bound to the volume, as namespace/name.'),
    column('StorageClass', 'string', 'The storage class of the volume.'),
    column('VolumeAttributesClass', 'string', 'The volume attributes class of the volume.'),
    column('Reason', 'string', 'Why the volume is in its phase, if the provisioner said.'),
    ageColumn,
    wide('VolumeMode', 'string', volumeModeDescription),
  ],
  row(volume, now) {
    const spec = record(volume, 'spec');
    const claim = record(spec, 'claimRef');
    return [
      text(volume, 'metadata', 'name'),
      quantity(spec, 'capacity', 'storage') ?? '0',
      accessModes(texts(spec, 'accessModes')),
      // A volume made by hand defaults to Retain; provisioned ones carry their class's policy.
      text(spec, 'persistentVolumeReclaimPolicy') || 'Retain',
      phaseOf(volume),
      Object.keys(claim).length > 0 ? `${text(claim, 'namespace')}/${text(claim, 'name')}` : '',
      storageClassOf(volume),
      optionalText(spec, 'volumeAttributesClassName') ?? '<unset>',
      text(volume, 'status', 'reason'),
      age(volume, now),
      // spec.volumeMode defaults to Filesystem on write.
      optionalText(spec, 'volumeMode') ?? 'Filesystem',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Phase of the claim: Pending, Bound or Lost.'),
    column('Volume', 'string', 'The volume bound to the claim.'),
    column('Capacity', 'string', 'The capacity of the bound volume.'),
    column('Access Modes', 'string', 'Access modes of the bound volume.'),
    column('StorageClass', 'string', 'The storage class the claim asks for.'),
    column('VolumeAttributesClass', 'string', 'The volume attributes class the claim asks for.'),
    ageColumn,
    wide('VolumeMode', 'string', volumeModeDescription),
  ],
  row(claim, now) {
    const spec = record(claim, 'spec');
    const volumeName = text(spec, 'volumeName');
    // Capacity and access modes describe the bound volume, so they stay empty until binding.
    const isBound = volumeName !== '';
    return [
      text(claim, 'metadata', 'name'),
      phaseOf(claim),
      volumeName,
      isBound ? (quantity(claim, 'status', 'capacity', 'storage') ?? '0') : '',
      isBound ? accessModes(texts(claim, 'status', 'accessModes')) : '',
      storageClassOf(claim),
      optionalText(spec, 'volumeAttributesClassName') ?? '<unset>',
      age(claim, now),
      optionalText(spec, 'volumeMode') ?? 'Filesystem',
    ];
  },
};

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', 'The volume plugin or CSI driver that provisions volumes.'),
    column('ReclaimPolicy', 'string', 'Reclaim policy given to the volumes it provisions.'),
    column('VolumeBindingMode', 'string', 'Immediate, or WaitForFirstConsumer to bind once a pod uses the claim.'),
    column('AllowVolumeExpansion', 'string', 'Whether claims of this class can be resized.'),
    ageColumn,
  ],
  row(storageClass, now) {
    const annotations = record(storageClass, 'metadata', 'annotations');
    // Either annotation marks the default class (storageutil.IsDefaultAnnotation).
    const isDefault =
      annotations[defaultClassAnnotation] === 'true' || annotations[betaDefaultClassAnnotation] === 'true';
    const name = text(storageClass, 'metadata', 'name');
    return [
      isDefault ? `${name} (default)` : name,
      text(storageClass, 'provisioner'),
      optionalText(storageClass, 'reclaimPolicy') ?? 'Delete',
      optionalText(storageClass, 'volumeBindingMode') ?? 'Immediate',
      optionalBoolean(storageClass, 'allowVolumeExpansion') === true,
      age(storageClass, now),
    ];
  },
};
