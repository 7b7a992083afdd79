/**
 * CustomResourceDefinitions: named `<plural>.<group>`; status starts with the storage version and, as
 * there is no naming conflict to wait for here, already Established (helm and kubectl wait on it).
 */
import type { FieldError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { timestamp } from '../registry-state.ts';
import type { Strategy } from '../types.ts';
import { arrayField, objectField } from './shared.ts';

function acceptedStatus(object: KubeObject, now: number): Record<string, unknown> {
  const spec = objectField(object, 'spec');
  const storage = arrayField(spec, 'versions').find((v) => v.storage === true)?.name;
  const since = timestamp(now);
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: since,
    reason,
    message,
  });
  return {
    storedVersions: storage ? [storage] : [],
    acceptedNames: spec.names ?? {},
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
  };
}

export const customResourceDefinitionStrategy: Strategy = {
  tracksGeneration: true,
  prepareForCreate(object) {
    object.status = acceptedStatus(object, Date.now());
  },
  prepareForUpdate(object, old) {
    const status = objectField(object, 'status');
    status.acceptedNames = objectField(object, 'spec').names ?? {};
    if (!status.conditions) object.status = { ...acceptedStatus(object, Date.now()), ...(old.status as object) };
  },
  validate(object) {
    const spec = (object.spec ?? {}) as { group?: string; names?: { plural?: string } };
    const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
    const errors: FieldError[] = [];
    if (object.metadata.name !== expected) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        value: object.metadata.name,
        detail: 'must be spec.names.plural+"."+spec.group',
      });
    }
    return errors;
  },
};
