/**
 * CRD status as apiextensions' controllers keep it: NamesAccepted (no conflicting names), then
 * Established (served), acceptedNames, storedVersions (every version ever used for storage), and
 * Terminating while the cleanup finalizer deletes the objects. Conditions keep their
 * lastTransitionTime while their status does not change.
 */
import type { KubeObject } from '../../types/meta.ts';
import { timestamp } from '../registry-state.ts';
import type { CRDSpec } from './crd-types.ts';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

interface CRDStatus {
  conditions?: Condition[];
  acceptedNames?: unknown;
  storedVersions?: string[];
}

export function setCondition(
  conditions: Condition[],
  next: Omit<Condition, 'lastTransitionTime'>,
  now: string,
): Condition[] {
  const existing = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = existing && existing.status === next.status ? existing.lastTransitionTime : now;
  const condition = { ...next, lastTransitionTime };
  return existing ? conditions.map((c) => (c.type === next.type ? condition : c)) : [...conditions, condition];
}

/** The status a served CRD has: names accepted, established, storage version recorded. */
export function establishedStatus(object: KubeObject, old: KubeObject | undefined, nowMs: number): CRDStatus {
  const spec = object.spec as CRDSpec;
  const previous = (old?.status ?? object.status ?? {}) as CRDStatus;
  const now = timestamp(nowMs);
  let conditions = previous.conditions ?? [];
  conditions = setCondition(
    conditions,
    { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
    now,
  );
  conditions = setCondition(
    conditions,
    {
      type: 'Established',
      status: 'True',
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    },
    now,
  );
  const storage = spec.versions?.find((v) => v.storage)?.name;
  const storedVersions = [...(previous.storedVersions ?? [])];
  if (storage && !storedVersions.includes(storage)) storedVersions.push(storage);
  return { ...previous, conditions, acceptedNames: spec.names ?? {}, storedVersions };
}

/** Terminating=True: set when deletion starts, before the objects go. */
export function terminatingStatus(object: KubeObject, nowMs: number): CRDStatus {
  const status = (object.status ?? {}) as CRDStatus;
  const conditions = setCondition(
    status.conditions ?? [],
    {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionInProgress',
      message: 'CustomResource deletion is in progress',
    },
    timestamp(nowMs),
  );
  return { ...status, conditions };
}

/** True once the cleanup started: new objects are then refused. */
export function isTerminating(crd: Readonly<KubeObject>): boolean {
  const conditions = (crd.status as CRDStatus | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Terminating' && c.status === 'True');
}
