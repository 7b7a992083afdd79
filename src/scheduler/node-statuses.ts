/**
 * Why each node refused the pod in one cycle. On a full cluster every node refuses, often with one
 * shared status, so they are kept by the node's position in the cycle's node list: filling an array
 * is cheap where a map keyed by thousands of names is not. The by-name map is built only if asked for.
 */
import type { PluginStatus } from './framework.ts';
import type { NodeInfo } from './node-info.ts';

export class NodeStatuses implements ReadonlyMap<string, PluginStatus> {
  private byName: Map<string, PluginStatus> | undefined;
  private readonly byIndex: (PluginStatus | undefined)[];

  /** `indexes[i]` is the position in `nodes` of the node `statuses[i]` refused (each node once, in evaluation order). */
  constructor(
    private readonly nodes: readonly NodeInfo[],
    indexes: readonly number[],
    private readonly statuses: readonly PluginStatus[],
  ) {
    this.byIndex = new Array(nodes.length);
    for (let i = 0; i < indexes.length; i++) this.byIndex[indexes[i] as number] = statuses[i];
    this.size = indexes.length;
  }

  readonly size: number;

  /** The status of the node at `index` of the cycle's node list (by name if `node` is not there). */
  at(index: number, node: NodeInfo): PluginStatus | undefined {
    return this.nodes[index] === node ? this.byIndex[index] : this.get(node.name);
  }

  private map(): Map<string, PluginStatus> {
    if (!this.byName) {
      this.byName = new Map();
      for (let i = 0; i < this.byIndex.length; i++) {
        const status = this.byIndex[i];
        if (status) this.byName.set((this.nodes[i] as NodeInfo).name, status);
      }
    }
    return this.byName;
  }

  get(name: string): PluginStatus | undefined {
    return this.map().get(name);
  }
  has(name: string): boolean {
    return this.map().has(name);
  }
  values(): MapIterator<PluginStatus> {
    return this.statuses.values() as MapIterator<PluginStatus>;
  }
  keys(): MapIterator<string> {
    return this.map().keys();
  }
  entries(): MapIterator<[string, PluginStatus]> {
    return this.map().entries();
  }
  [Symbol.iterator](): MapIterator<[string, PluginStatus]> {
    return this.entries();
  }
  forEach(fn: (value: PluginStatus, key: string, map: ReadonlyMap<string, PluginStatus>) => void): void {
    for (const [k, v] of this.map()) fn(v, k, this);
  }
}
