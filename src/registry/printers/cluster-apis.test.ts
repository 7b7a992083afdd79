import { describe, expect, it } from 'vitest';
import { validatingAdmissionPolicyBindingPrinter } from './admission.ts';
import { certificateSigningRequestPrinter } from './certificates.ts';
import { csiDriverPrinter, volumeAttachmentPrinter } from './csi.ts';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flowcontrol.ts';
import { ipAddressPrinter } from './networking.ts';
import { cells, object } from './testing.ts';

describe('cluster API printers', () => {
  it('flow schema: <none> distinguisher and ? until the Dangling condition is set', () => {
    const row = cells(
      flowSchemaPrinter,
      object('FlowSchema', { spec: { matchingPrecedence: 900, priorityLevelConfiguration: { name: 'workload-low' } } }),
    );
    expect(row).toMatchObject({
      PriorityLevel: 'workload-low',
      MatchingPrecedence: '900',
      DistinguisherMethod: '<none>',
      MissingPL: '?',
    });
  });

  it('priority level: queuing numbers, <none> for exempt levels', () => {
    const limited = object('PriorityLevelConfiguration', {
      spec: {
        type: 'Limited',
        limited: {
          nominalConcurrencyShares: 30,
          limitResponse: { type: 'Queue', queuing: { queues: 64, handSize: 6, queueLengthLimit: 50 } },
        },
      },
    });
    expect(cells(priorityLevelConfigurationPrinter, limited)).toMatchObject({
      NominalConcurrencyShares: 30,
      Queues: 64,
      HandSize: 6,
      QueueLengthLimit: 50,
    });
    const exempt = cells(
      priorityLevelConfigurationPrinter,
      object('PriorityLevelConfiguration', { spec: { type: 'Exempt' } }),
    );
    expect(exempt).toMatchObject({ Type: 'Exempt', NominalConcurrencyShares: '<none>', Queues: '<none>' });
  });

  it('certificate signing request: Denied wins over Approved, Issued once a certificate is there', () => {
    const request = (conditions: string[], certificate?: string) =>
      object('CertificateSigningRequest', {
        spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'alice', expirationSeconds: 3600 },
        status: {
          conditions: conditions.map((type) => ({ type, status: 'True' })),
          ...(certificate ? { certificate } : {}),
        },
      });
    expect(cells(certificateSigningRequestPrinter, request([]))).toMatchObject({
      Condition: 'Pending',
      Requestor: 'alice',
      RequestedDuration: '60m',
    });
    expect(cells(certificateSigningRequestPrinter, request(['Approved'], 'Y2VydA=='))).toMatchObject({
      Condition: 'Approved,Issued',
    });
    expect(cells(certificateSigningRequestPrinter, request(['Approved', 'Denied', 'Failed']))).toMatchObject({
      Condition: 'Denied,Failed',
    });
  });

  it('CSI driver, volume attachment, binding and IP address cells', () => {
    expect(
      cells(csiDriverPrinter, object('CSIDriver', { spec: { tokenRequests: [{ audience: 'a' }, { audience: 'b' }] } })),
    ).toMatchObject({
      AttachRequired: true,
      TokenRequests: 'a,b',
      Modes: '<none>',
    });
    expect(
      cells(
        volumeAttachmentPrinter,
        object('VolumeAttachment', {
          spec: { attacher: 'csi', nodeName: 'n1', source: { persistentVolumeName: 'pv1' } },
        }),
      ),
    ).toMatchObject({
      PV: 'pv1',
      Node: 'n1',
      Attached: false,
    });
    expect(
      cells(
        validatingAdmissionPolicyBindingPrinter,
        object('ValidatingAdmissionPolicyBinding', { spec: { policyName: 'p', paramRef: { name: 'cfg' } } }),
      ),
    ).toMatchObject({ ParamRef: '*/cfg' });
    expect(
      cells(
        ipAddressPrinter,
        object('IPAddress', {
          spec: { parentRef: { resource: 'services', namespace: 'default', name: 'kubernetes' } },
        }),
      ),
    ).toMatchObject({
      ParentRef: 'services/default/kubernetes',
    });
  });
});
