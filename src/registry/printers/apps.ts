/** Printers for apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision. */
import type { Printer } from '../types.ts';
import { age } from './age.ts';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn } from './columns.ts';
import { containerCells } from './containers.ts';
import { integer, optionalInteger, record, records, stringMap, text } from './fields.ts';
import { formatLabelSelector, formatLabels, labelSelectorString } from './labels.ts';

/** spec.replicas as the server stores it: defaulted to 1 when a manifest leaves it out. */
export function desiredReplicas(object: unknown): number {
  return optionalInteger(object, 'spec', 'replicas') ?? 1;
}

function templateSpec(object: unknown): unknown {
  return record(object, 'spec', 'template', 'spec');
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready pods out of the desired number.'),
    column('Up-to-date', 'string', 'Pods that run the latest pod template.'),
    column('Available', 'string', 'Pods that have been ready for at least minReadySeconds.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(deployment, now) {
    return [
      text(deployment, 'metadata', 'name'),
      `${integer(deployment, 'status', 'readyReplicas')}/${desiredReplicas(deployment)}`,
      integer(deployment, 'status', 'updatedReplicas'),
      integer(deployment, 'status', 'availableReplicas'),
      age(deployment, now),
      ...containerCells(templateSpec(deployment)),
      // Deployments print the bare selector string (empty, not <none>, when unset).
      labelSelectorString(record(deployment, 'spec', 'selector')),
    ];
  },
};

/**
 * The ReplicaSet columns, also used by ReplicationControllers; only the selector cell differs (a
 * LabelSelector there, a plain map here).
 */
export function replicaPrinter(selectorCell: (object: unknown) => string): Printer {
  return {
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
    row(object, now) {
      return [
        text(object, 'metadata', 'name'),
        desiredReplicas(object),
        integer(object, 'status', 'replicas'),
        integer(object, 'status', 'readyReplicas'),
        age(object, now),
        ...containerCells(templateSpec(object)),
        selectorCell(object),
      ];
    },
  };
}

export const replicaSetPrinter = replicaPrinter((o) => formatLabelSelector(record(o, 'spec', 'selector')));

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready pods out of the desired number.'),
    ageColumn,
    containersColumn,
    imagesColumn,
  ],
  row(statefulSet, now) {
    return [
      text(statefulSet, 'metadata', 'name'),
      `${integer(statefulSet, 'status', 'readyReplicas')}/${desiredReplicas(statefulSet)}`,
      age(statefulSet, now),
      ...containerCells(templateSpec(statefulSet)),
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Nodes that run at least one daemon pod.'),
    column('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Nodes that run the latest daemon pod template.'),
    column('Available', 'integer', 'Nodes whose daemon pod has been ready for minReadySeconds.'),
    column('Node Selector', 'string', 'The node selector of the pod template.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row(daemonSet, now) {
    const status = record(daemonSet, 'status');
    return [
      text(daemonSet, 'metadata', 'name'),
      integer(status, 'desiredNumberScheduled'),
      integer(status, 'currentNumberScheduled'),
      integer(status, 'numberReady'),
      integer(status, 'updatedNumberScheduled'),
      integer(status, 'numberAvailable'),
      formatLabels(stringMap(templateSpec(daemonSet), 'nodeSelector')),
      age(daemonSet, now),
      ...containerCells(templateSpec(daemonSet)),
      formatLabelSelector(record(daemonSet, 'spec', 'selector')),
    ];
  },
};

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'The object that owns this revision, as kind.group/name.'),
    column('Revision', 'string', 'The revision number.'),
    ageColumn,
  ],
  row(revision, now) {
    return [
      text(revision, 'metadata', 'name'),
      controllerOf(revision),
      integer(revision, 'revision'),
      age(revision, now),
    ];
  },
};

/** The controlling ownerReference as `statefulset.apps/web`, or <none>. */
function controllerOf(object: unknown): string {
  const owner = records(object, 'metadata', 'ownerReferences').find((reference) => reference.controller === true);
  if (!owner) return '<none>';
  const apiVersion = text(owner, 'apiVersion');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = text(owner, 'kind');
  const name = text(owner, 'name');
  if (kind === '' && group === '') return name;
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${name}`;
}
