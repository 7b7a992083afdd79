/** Printers for the core group's workload kinds: ReplicationController and PodTemplate. */
import type { Printer } from '../types.ts';
import { replicaPrinter } from './apps.ts';
import { column, nameColumn } from './columns.ts';
import { containerCells } from './containers.ts';
import { record, stringMap, text } from './fields.ts';
import { formatLabels } from './labels.ts';

// A replication controller's selector is a plain map, not a LabelSelector.
export const replicationControllerPrinter = replicaPrinter((o) => formatLabels(stringMap(o, 'spec', 'selector')));

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
