/** Printers for the storage.k8s.io kinds CSI drivers report through: drivers, nodes, capacities, attachments. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { optionalBoolean, quantity, records, text, texts } from './fields.ts';

/** Token audiences the driver asks for, comma-joined; <unset> when it asks for none. */
function tokenRequests(driver: unknown): string {
  const audiences = records(driver, 'spec', 'tokenRequests').map((request) => text(request, 'audience'));
  return audiences.length > 0 ? audiences.join(',') : '<unset>';
}

export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn,
    column('AttachRequired', 'boolean', 'Whether volumes need an attach step (a VolumeAttachment).'),
    column('PodInfoOnMount', 'boolean', 'Whether the driver receives pod information on mount.'),
    column('StorageCapacity', 'boolean', 'Whether the scheduler considers reported storage capacity.'),
    column('TokenRequests', 'string', 'Audiences of the service account tokens passed to the driver.'),
    column('RequiresRepublish', 'boolean', 'Whether mounted volumes are republished periodically.'),
    column('Modes', 'string', 'Volume lifecycle modes the driver supports.'),
    ageColumn,
  ],
  row(driver, now) {
    const modes = texts(driver, 'spec', 'volumeLifecycleModes');
    return [
      text(driver, 'metadata', 'name'),
      // The defaults kube writes on create, so objects stored before defaulting print the same.
      optionalBoolean(driver, 'spec', 'attachRequired') ?? true,
      optionalBoolean(driver, 'spec', 'podInfoOnMount') ?? false,
      optionalBoolean(driver, 'spec', 'storageCapacity') ?? false,
      tokenRequests(driver),
      optionalBoolean(driver, 'spec', 'requiresRepublish') ?? false,
      modes.length > 0 ? modes.join(',') : '<none>',
      age(driver, now),
    ];
  },
};

export const csiNodePrinter: Printer = {
  columns: [nameColumn, column('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), ageColumn],
  row(node, now) {
    return [text(node, 'metadata', 'name'), records(node, 'spec', 'drivers').length, age(node, now)];
  },
};

export const csiStorageCapacityPrinter: Printer = {
  columns: [
    nameColumn,
    column('StorageClassName', 'string', 'The storage class the capacity applies to.'),
    column('Capacity', 'string', 'Capacity available for new volumes of that class.'),
  ],
  row(capacity) {
    return [
      text(capacity, 'metadata', 'name'),
      text(capacity, 'storageClassName'),
      quantity(capacity, 'capacity') ?? '<unset>',
    ];
  },
};

export const volumeAttachmentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Attacher', 'string', 'The CSI driver that attaches the volume.'),
    column('PV', 'string', 'The persistent volume to attach.'),
    column('Node', 'string', 'The node the volume is attached to.'),
    column('Attached', 'boolean', 'Whether the attach operation succeeded.'),
    ageColumn,
  ],
  row(attachment, now) {
    return [
      text(attachment, 'metadata', 'name'),
      text(attachment, 'spec', 'attacher'),
      text(attachment, 'spec', 'source', 'persistentVolumeName'),
      text(attachment, 'spec', 'nodeName'),
      optionalBoolean(attachment, 'status', 'attached') ?? false,
      age(attachment, now),
    ];
  },
};
