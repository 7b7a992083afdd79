/**
 * Strategies for the control-plane and CSI kinds (flowcontrol, admission policies, CSI objects,
 * certificate signing requests): mostly which metadata a /status write keeps, and a few defaults.
 */
import type { KubeObject } from '../../types/meta.ts';
import type { Strategy } from '../types.ts';
import { objectField, setDefault } from './shared.ts';

/**
 * flowcontrol, validating admission policies: generation from 1, bumped on spec changes, and a /status
 * write keeps the stored metadata (their status strategies copy ObjectMeta / ResetObjectMetaForStatus).
 */
export const statusOnlyStrategy: Strategy = { tracksGeneration: true, statusResetsMetadata: 'all' };

/** storage VolumeAttachment: no generation, ResetObjectMetaForStatus on /status. */
export const volumeAttachmentStrategy: Strategy = { statusResetsMetadata: 'all' };

/** The CSIDriver defaults kube-apiserver writes (storage/v1 SetDefaults_CSIDriver). */
export const csiDriverStrategy: Strategy = {
  defaults(driver) {
    const spec = objectField(driver, 'spec');
    setDefault(spec, 'attachRequired', true);
    setDefault(spec, 'podInfoOnMount', false);
    setDefault(spec, 'storageCapacity', false);
    setDefault(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
    setDefault(spec, 'volumeLifecycleModes', ['Persistent']);
    setDefault(spec, 'requiresRepublish', false);
    setDefault(spec, 'seLinuxMount', false);
  },
};

function conditionsOf(object: KubeObject): unknown {
  return (object.status as { conditions?: unknown } | undefined)?.conditions;
}

/**
 * CertificateSigningRequest (certificates strategy.go): the requester's identity comes from the request,
 * never the body; spec is immutable; /status may not touch the approval conditions (only /approval may).
 */
export const certificateSigningRequestStrategy: Strategy = {
  prepareForCreate(request, context) {
    const spec = objectField(request, 'spec');
    spec.username = context.user.username;
    if (context.user.uid) spec.uid = context.user.uid;
    else delete spec.uid;
    spec.groups = [...context.user.groups];
    if (context.user.extra) spec.extra = context.user.extra;
    else delete spec.extra;
  },
  prepareForUpdate(request, old) {
    request.spec = structuredClone(old.spec);
  },
  prepareForStatusUpdate(request, old) {
    const conditions = conditionsOf(old);
    const status = objectField(request, 'status');
    if (conditions === undefined) delete status.conditions;
    else status.conditions = structuredClone(conditions);
  },
};
