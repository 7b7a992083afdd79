/**
 * Server-side printers for the built-in kinds, keyed 'Kind' for the core group and 'group/Kind'
 * otherwise. The registry attaches them to resource definitions; the API layer builds the Table.
 */
import type { Printer } from '../types.ts';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './apps.ts';
import { configMapPrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './config.ts';
import { podTemplatePrinter, replicationControllerPrinter } from './core-workloads.ts';
import { createdAtPrinter } from './created-at.ts';
import { nodePrinter } from './node.ts';
import { podPrinter } from './pod.ts';
import { servicePrinter } from './service.ts';

export { createdAtPrinter } from './created-at.ts';

export const printers: Readonly<Record<string, Printer>> = {
  Pod: podPrinter,
  PodTemplate: podTemplatePrinter,
  ReplicationController: replicationControllerPrinter,
  Service: servicePrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  LimitRange: createdAtPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'apps/ControllerRevision': controllerRevisionPrinter,
  'rbac.authorization.k8s.io/Role': createdAtPrinter,
  'rbac.authorization.k8s.io/ClusterRole': createdAtPrinter,
  'apiextensions.k8s.io/CustomResourceDefinition': createdAtPrinter,
};

/** The printer for a built-in kind, or undefined (callers then fall back to createdAtPrinter). */
export function printerFor(group: string, kind: string): Printer | undefined {
  const key = group === '' ? kind : `${group}/${kind}`;
  return Object.hasOwn(printers, key) ? printers[key] : undefined;
}
