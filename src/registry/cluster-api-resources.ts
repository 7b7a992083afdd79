/**
 * Resources the control plane and CSI drivers talk through, beside the workload kinds of resources.ts:
 * API priority and fairness, validating admission policies, CSI objects, certificate signing requests and
 * the service IP ranges. All are stored kinds (no controller here acts on them); scope, short names and
 * categories are kube-apiserver's.
 */
import { defineResource as define, statusSubresource as status } from './define-resource.ts';
import {
  certificateSigningRequestStrategy,
  csiDriverStrategy,
  statusOnlyStrategy,
  volumeAttachmentStrategy,
} from './strategies/cluster-apis.ts';
import { fieldPath } from './strategies/shared.ts';
import type { ResourceDef } from './types.ts';

const flowcontrol = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', namespaced: false } as const;
const admission = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  namespaced: false,
  categories: ['api-extensions'],
} as const;
const storage = { group: 'storage.k8s.io', version: 'v1' } as const;
const networking = { group: 'networking.k8s.io', version: 'v1', namespaced: false } as const;

export const clusterApiResources: readonly ResourceDef[] = [
  define({
    ...flowcontrol,
    kind: 'FlowSchema',
    plural: 'flowschemas',
    strategy: statusOnlyStrategy,
    subresources: [status],
  }),
  define({
    ...flowcontrol,
    kind: 'PriorityLevelConfiguration',
    plural: 'prioritylevelconfigurations',
    strategy: statusOnlyStrategy,
    subresources: [status],
  }),
  define({
    ...admission,
    kind: 'ValidatingAdmissionPolicy',
    plural: 'validatingadmissionpolicies',
    strategy: statusOnlyStrategy,
    subresources: [status],
  }),
  define({
    ...admission,
    kind: 'ValidatingAdmissionPolicyBinding',
    plural: 'validatingadmissionpolicybindings',
    strategy: { tracksGeneration: true },
  }),
  define({ ...storage, kind: 'CSIDriver', plural: 'csidrivers', namespaced: false, strategy: csiDriverStrategy }),
  define({ ...storage, kind: 'CSINode', plural: 'csinodes', namespaced: false }),
  define({ ...storage, kind: 'CSIStorageCapacity', plural: 'csistoragecapacities', namespaced: true }),
  define({
    ...storage,
    kind: 'VolumeAttachment',
    plural: 'volumeattachments',
    namespaced: false,
    strategy: volumeAttachmentStrategy,
    subresources: [status],
  }),
  define({
    group: 'certificates.k8s.io',
    version: 'v1',
    kind: 'CertificateSigningRequest',
    plural: 'certificatesigningrequests',
    namespaced: false,
    shortNames: ['csr'],
    strategy: certificateSigningRequestStrategy,
    subresources: [status, { name: 'approval', kind: '', verbs: ['get', 'patch', 'update'] }],
    fieldSelectors: { 'spec.signerName': fieldPath('spec.signerName') },
  }),
  define({ ...networking, kind: 'IPAddress', plural: 'ipaddresses', shortNames: ['ip'] }),
  define({ ...networking, kind: 'ServiceCIDR', plural: 'servicecidrs', subresources: [status] }),
];
