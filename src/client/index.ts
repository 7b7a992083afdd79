export { createHttpClient, type FetchLike, type HttpClientOptions } from './http-client.ts';
export { type KubeconfigOptions, loadKubeconfig } from './kubeconfig.ts';
export { createLocalClient } from './local-client.ts';
export * as resources from './resources.ts';
export type * from './types.ts';
