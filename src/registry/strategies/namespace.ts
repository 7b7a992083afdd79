/** Namespaces: DNS-1123 label names, the `kubernetes` finalizer in spec, phase Active. */
import type { Strategy } from '../types.ts';
import { objectField } from './shared.ts';

export const namespaceStrategy: Strategy = {
  nameValidation: 'label',
  defaults(object) {
    // Real servers label every namespace with its own name (NamespaceDefaultLabelName).
    object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name ?? '' };
  },
  prepareForCreate(object) {
    const spec = objectField(object, 'spec');
    spec.finalizers = ['kubernetes'];
    object.status = { phase: 'Active' };
  },
  prepareForUpdate(object, old) {
    // spec.finalizers change only through namespaces/finalize.
    object.spec = old.spec;
  },
};
