/** Typed refs for engine tests. */
import { events } from '../client/resources.ts';
import type { ResourceRef } from '../client/types.ts';
import type { CoreEvent } from './api-types.ts';

export { leaseRef, nodeRef, podRef } from './refs.ts';
export const eventsRef = events as ResourceRef<CoreEvent>;
