/** What every verb handler gets: the resolved target, the raw request and who is asking. */
import type { Registry } from '../../registry/types.ts';
import type { UserInfo } from '../../types/meta.ts';
import type { ResolvedRequest } from '../resolve-request.ts';

export interface ResourceRequest {
  registry: Registry;
  target: ResolvedRequest;
  request: Request;
  query: URLSearchParams;
  user: UserInfo;
  /** ms since epoch; injected so Table ages are deterministic in tests. */
  now: () => number;
  /** Registers a listener for the client going away (under node-server: the response's 'close'). */
  onDisconnect?: ((listener: () => void) => void) | undefined;
}

export type VerbHandler = (r: ResourceRequest) => Promise<Response>;
