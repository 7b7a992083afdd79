/**
 * Column definitions shared by the printers. Names, types and priorities match kube-apiserver's
 * printers (pkg/printers/internalversion); descriptions are our own words.
 */
import type { ColumnDefinition } from '../types.ts';

type ColumnType = ColumnDefinition['type'];

/** A priority-0 column (always shown). */
export function column(name: string, type: ColumnType, description: string): ColumnDefinition {
  return { name, type, format: '', description, priority: 0 };
}

/** A priority-1 column: kubectl shows it only with -o wide. */
export function wide(name: string, type: ColumnType, description: string): ColumnDefinition {
  return { name, type, format: '', description, priority: 1 };
}

/** The Name column; format "name" tells kubectl which column is the object's name. */
export const nameColumn: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'The object name, unique within its namespace (or the cluster for cluster-scoped kinds).',
  priority: 0,
};

export const ageColumn = column(
  'Age',
  'string',
  'How long ago the object was created (from metadata.creationTimestamp).',
);

/** Containers, Images and Selector: the wide trio that workload printers share. */
export const containersColumn = wide('Containers', 'string', 'Names of the containers in the pod template.');
export const imagesColumn = wide('Images', 'string', 'Images used by the containers in the pod template.');
export const selectorColumn = wide('Selector', 'string', 'Label selector for the pods this object manages.');
