/** Printers for the core group's workload kinds: ReplicationController and PodTemplate. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { desiredReplicas } from './apps.ts';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn } from './columns.ts';
import { containerCells } from './containers.ts';
import { integer, record, stringMap, text } from './fields.ts';
import { formatLabels } from './labels.ts';

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'The number of pods asked for (spec.replicas).'),
    column('Current', 'integer', 'The number of pods that exist now.'),
    column('Ready', 'integer', 'The number of pods that are ready.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(controller, now) {
    return [
      text(controller, 'metadata', 'name'),
      desiredReplicas(controller),
      integer(controller, 'status', 'replicas'),
      integer(controller, 'status', 'readyReplicas'),
      age(controller, now),
      ...containerCells(record(controller, 'spec', 'template', 'spec')),
      // A replication controller's selector is a plain map, not a LabelSelector.
      formatLabels(stringMap(controller, 'spec', 'selector')),
    ];
  },
};

export const podTemplatePrinter: Printer = {
  columns: [
    nameColumn,
    column('Containers', 'string', 'Names of the containers in the template.'),
    column('Images', 'string', 'Images used by the containers in the template.'),
    column('Pod Labels', 'string', 'Labels that pods made from this template carry.'),
  ],
  row(template) {
    return [
      text(template, 'metadata', 'name'),
      ...containerCells(record(template, 'template', 'spec')),
      formatLabels(stringMap(template, 'template', 'metadata', 'labels')),
    ];
  },
};
