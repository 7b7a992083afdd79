export { deleteResponseBody } from './delete-response.ts';
export { createRegistry, type RegistryOptions, type WharfRegistry } from './registry.ts';
export { builtinResources } from './resources.ts';
export type * from './types.ts';
