/**
 * Strategies for the control-plane and CSI kinds (flowcontrol, admission policies, CSI objects,
 * certificate signing requests): mostly which metadata a /status write keeps, and a few defaults.
 */
import type { FieldError } from '../../status.ts';
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

interface Condition {
  type?: string;
  status?: string;
}

const approvalTypes = ['Approved', 'Denied'];

function conditionsOf(object: KubeObject): Condition[] | undefined {
  return (object.status as { conditions?: Condition[] } | undefined)?.conditions;
}

/**
 * The stored instances of `type` put back in place of the request's when it kept as many of them, so a
 * /status writer cannot change an approval; one that added or removed some fails validation instead.
 */
function preserveInstances(next: Condition[], old: readonly Condition[], type: string): void {
  const oldOnes = old.filter((c) => c.type === type);
  const at = next.flatMap((c, i) => (c.type === type ? [i] : []));
  if (at.length !== oldOnes.length) return;
  at.forEach((index, n) => {
    next[index] = structuredClone(oldOnes[n] as Condition);
  });
}

/** The approval rules of any write: Approved and Denied are True or absent, never both, never taken back. */
function approvalErrors(next: KubeObject, old: KubeObject, scope: 'status' | 'approval'): FieldError[] {
  const field = 'status.conditions';
  const conditions = conditionsOf(next) ?? [];
  const errors: FieldError[] = [];
  conditions.forEach((c, i) => {
    if (approvalTypes.includes(c.type ?? '') && c.status !== 'True')
      errors.push({
        type: 'FieldValueNotSupported',
        field: `${field}[${i}].status`,
        value: c.status ?? '',
        supported: ['True'],
      });
  });
  const has = (type: string) => conditions.some((c) => c.type === type);
  if (has('Approved') && has('Denied'))
    errors.push({ type: 'FieldValueInvalid', field, detail: 'Approved and Denied conditions are mutually exclusive' });
  for (const type of approvalTypes) {
    const before = (conditionsOf(old) ?? []).filter((c) => c.type === type).length;
    const after = conditions.filter((c) => c.type === type).length;
    if (after < before)
      errors.push({
        type: 'FieldValueForbidden',
        field,
        detail: `updates may not remove a condition of type "${type}"`,
      });
    else if (after > before && scope === 'status')
      errors.push({ type: 'FieldValueForbidden', field, detail: `updates may not add a condition of type "${type}"` });
  }
  return errors;
}

/**
 * CertificateSigningRequest (certificates strategy.go): the requester's identity comes from the request,
 * never the body; spec is immutable. /approval changes only status.conditions; /status changes the rest
 * of status and any condition but Approved and Denied.
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
  prepareForStatusUpdate(request, old, _context, subresource) {
    const conditions = conditionsOf(request);
    if (subresource === 'approval') {
      const status = structuredClone((old.status ?? {}) as Record<string, unknown>);
      if (conditions === undefined) delete status.conditions;
      else status.conditions = conditions;
      request.status = status;
      return;
    }
    for (const type of approvalTypes) preserveInstances(conditions ?? [], conditionsOf(old) ?? [], type);
  },
  validateStatusUpdate: (next, old, subresource) =>
    approvalErrors(next, old, subresource === 'approval' ? 'approval' : 'status'),
};
