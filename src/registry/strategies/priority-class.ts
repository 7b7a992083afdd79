/** PriorityClasses: preemptionPolicy defaults as in scheduling/v1 (kubectl describe dereferences it). */
import type { Strategy } from '../types.ts';
import { setDefault } from './shared.ts';

export const priorityClassStrategy: Strategy = {
  defaults(object) {
    setDefault(object, 'preemptionPolicy', 'PreemptLowerPriority');
  },
};
