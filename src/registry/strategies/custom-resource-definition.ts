/** CustomResourceDefinitions: status.storedVersions starts with the storage version. */
import type { Strategy } from '../types.ts';
import { arrayField, objectField } from './shared.ts';

export const customResourceDefinitionStrategy: Strategy = {
  tracksGeneration: true,
  prepareForCreate(object) {
    const versions = arrayField(objectField(object, 'spec'), 'versions');
    const storage = versions.find((v) => v.storage === true)?.name;
    object.status = {
      storedVersions: storage ? [storage] : [],
      conditions: [],
      acceptedNames: { kind: '', plural: '' },
    };
  },
};
