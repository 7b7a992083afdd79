/**
 * Server-side printers for the built-in kinds, keyed 'Kind' for the core group and 'group/Kind'
 * otherwise. The registry attaches them to resource definitions; the API layer builds the Table.
 */
import type { Printer } from '../types.ts';
import {
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  webhookConfigurationPrinter,
} from './admission.ts';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './apps.ts';
import { horizontalPodAutoscalerPrinter } from './autoscaling.ts';
import { cronJobPrinter, jobPrinter } from './batch.ts';
import { certificateSigningRequestPrinter } from './certificates.ts';
import { configMapPrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './config.ts';
import { podTemplatePrinter, replicationControllerPrinter } from './core-workloads.ts';
import { createdAtPrinter } from './created-at.ts';
import { csiDriverPrinter, csiNodePrinter, csiStorageCapacityPrinter, volumeAttachmentPrinter } from './csi.ts';
import { endpointSlicePrinter, endpointsPrinter } from './endpoints.ts';
import { eventPrinter, eventsV1Printer } from './event.ts';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flowcontrol.ts';
import {
  ingressClassPrinter,
  ingressPrinter,
  ipAddressPrinter,
  networkPolicyPrinter,
  serviceCIDRPrinter,
} from './networking.ts';
import { nodePrinter } from './node.ts';
import { podPrinter } from './pod.ts';
import {
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  resourceQuotaPrinter,
  runtimeClassPrinter,
} from './policy.ts';
import { roleBindingPrinter } from './rbac.ts';
import { servicePrinter } from './service.ts';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage.ts';

export { createdAtPrinter } from './created-at.ts';

export const printers: Readonly<Record<string, Printer>> = {
  Pod: podPrinter,
  PodTemplate: podTemplatePrinter,
  ReplicationController: replicationControllerPrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  Node: nodePrinter,
  Event: eventPrinter,
  Namespace: namespacePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  PersistentVolume: persistentVolumePrinter,
  PersistentVolumeClaim: persistentVolumeClaimPrinter,
  ResourceQuota: resourceQuotaPrinter,
  // kube has no LimitRange printer: `kubectl get limitranges` shows NAME and CREATED AT.
  LimitRange: createdAtPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'apps/ControllerRevision': controllerRevisionPrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerPrinter,
  'policy/PodDisruptionBudget': podDisruptionBudgetPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'events.k8s.io/Event': eventsV1Printer,
  'networking.k8s.io/Ingress': ingressPrinter,
  'networking.k8s.io/IngressClass': ingressClassPrinter,
  'networking.k8s.io/NetworkPolicy': networkPolicyPrinter,
  'storage.k8s.io/StorageClass': storageClassPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'scheduling.k8s.io/PriorityClass': priorityClassPrinter,
  'node.k8s.io/RuntimeClass': runtimeClassPrinter,
  'rbac.authorization.k8s.io/Role': createdAtPrinter,
  'rbac.authorization.k8s.io/ClusterRole': createdAtPrinter,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': roleBindingPrinter,
  'apiextensions.k8s.io/CustomResourceDefinition': createdAtPrinter,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': validatingAdmissionPolicyPrinter,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': validatingAdmissionPolicyBindingPrinter,
  'flowcontrol.apiserver.k8s.io/FlowSchema': flowSchemaPrinter,
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': priorityLevelConfigurationPrinter,
  'storage.k8s.io/CSIDriver': csiDriverPrinter,
  'storage.k8s.io/CSINode': csiNodePrinter,
  'storage.k8s.io/CSIStorageCapacity': csiStorageCapacityPrinter,
  'storage.k8s.io/VolumeAttachment': volumeAttachmentPrinter,
  'certificates.k8s.io/CertificateSigningRequest': certificateSigningRequestPrinter,
  'networking.k8s.io/IPAddress': ipAddressPrinter,
  'networking.k8s.io/ServiceCIDR': serviceCIDRPrinter,
};

/** The printer for a built-in kind, or undefined (callers then fall back to createdAtPrinter). */
export function printerFor(group: string, kind: string): Printer | undefined {
  const key = group === '' ? kind : `${group}/${kind}`;
  return Object.hasOwn(printers, key) ? printers[key] : undefined;
}
