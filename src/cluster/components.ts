/**
 * The components `wharf up` starts once the API server is ready, in this order (and stops in reverse):
 * the scheduler, the controller manager and the simulated nodes add themselves here, so the
 * composition in start-cluster.ts never changes for them.
 */
import type { ComponentFactory } from './start-cluster.ts';

export const defaultComponents: readonly ComponentFactory[] = [];
