export {
  type SimulatedNode,
  type SimulatedNodes,
  type SimulatedNodesOptions,
  startSimulatedNodes,
  stateAnnotation,
} from './engine.ts';
export type { LogOptions, PodLogs } from './logs.ts';
