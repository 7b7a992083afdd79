import type { Cell } from '../types.ts';
import { records, text } from './fields.ts';

/** The Containers and Images cells of a pod spec: names and images, each comma-joined in order. */
export function containerCells(podSpec: unknown): [Cell, Cell] {
  const containers = records(podSpec, 'containers');
  return [containers.map((c) => text(c, 'name')).join(','), containers.map((c) => text(c, 'image')).join(',')];
}
