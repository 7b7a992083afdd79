/**
 * CustomResourceDefinitions: validated as apiextensions does (names, one storage version, structural
 * schemas, compilable rules), held by the customresourcecleanup finalizer until their objects are gone,
 * and — as there is no naming conflict to wait for here — NamesAccepted and Established at once
 * (helm and kubectl wait on Established).
 */
import { establishedStatus } from '../crd/crd-status.ts';
import { cleanupFinalizer } from '../crd/crd-types.ts';
import { validateCRD } from '../crd/crd-validation.ts';
import type { Strategy } from '../types.ts';

export const customResourceDefinitionStrategy: Strategy = {
  tracksGeneration: true,
  prepareForCreate(object) {
    const finalizers = object.metadata.finalizers ?? [];
    if (!finalizers.includes(cleanupFinalizer)) object.metadata.finalizers = [...finalizers, cleanupFinalizer];
    object.status = establishedStatus(object, undefined, Date.now());
  },
  prepareForUpdate(object, old) {
    object.status = establishedStatus(object, old, Date.now());
  },
  validate: validateCRD,
};
