/**
 * Answers about nodes remembered for pods of the same shape. A burst of replicas (or of preemptors) asks
 * every node the same question, pod after pod, while each pod changes only a node or two. When the
 * answer depends only on the pod's spec and that one node (its object, placed pods and nominations, all
 * of which bump NodeInfo.generation), it stays right until the node's generation moves, so the next pod
 * re-asks only the nodes that changed. kube-scheduler 1.35's opportunistic batching reuses results for
 * pods with the same signature in the same spirit.
 */
import type { NodeInfo } from './node-info.ts';
import type { Pod } from './types.ts';

export const unknown: unique symbol = Symbol('unknown');

/** One question's answers by the node's position in one node list, each with the generation it holds for. */
export class NodeAnswers<T> {
  private readonly generations: Float64Array;
  private readonly answers: (T | undefined)[];

  constructor(readonly nodes: readonly NodeInfo[]) {
    this.generations = new Float64Array(nodes.length).fill(-1);
    this.answers = new Array(nodes.length);
  }

  get(index: number, node: NodeInfo): T | typeof unknown {
    return this.generations[index] === node.generation ? (this.answers[index] as T) : unknown;
  }

  set(index: number, node: NodeInfo, answer: T): void {
    this.generations[index] = node.generation;
    this.answers[index] = answer;
  }
}

const shapes = new WeakMap<Pod, string>();

/**
 * What of a pod the filters that judge a node alone read (FilterPlugin.judgesNodeAlone): priority (which
 * nominations count), nodeName, node selection, tolerations, resource requests and host ports. Not the
 * whole spec: admission gives every pod its own token volume and mounts, so no two specs are equal.
 * A filter that starts reading another field must add it here.
 */
export function podShape(pod: Pod): string {
  let shape = shapes.get(pod);
  if (shape === undefined) {
    const s = pod.spec;
    const container = (c: NonNullable<Pod['spec']['initContainers']>[number]) => [
      c.resources,
      c.ports,
      c.restartPolicy,
    ];
    shape = JSON.stringify([
      s.priority,
      s.nodeName,
      s.nodeSelector,
      s.affinity?.nodeAffinity,
      s.tolerations,
      s.overhead,
      s.containers?.map(container),
      s.initContainers?.map(container),
    ]);
    shapes.set(pod, shape);
  }
  return shape;
}

/**
 * Held by the snapshot's owner, which thereby promises that NodeInfo.generation moves on every change a
 * filter could see, nominations included. A few dozen shapes are kept, the least recently asked dropped.
 */
export class Verdicts {
  private readonly byKey = new Map<string, NodeAnswers<unknown>>();

  constructor(private readonly capacity = 64) {}

  /** The answers for `question` asked about pods shaped like `pod`, on this node list. */
  for<T>(question: string, pod: Pod, nodes: readonly NodeInfo[]): NodeAnswers<T> {
    const key = `${question}\n${podShape(pod)}`;
    let answers = this.byKey.get(key);
    if (answers !== undefined) this.byKey.delete(key);
    // A new node list (nodes added or removed) moves positions: start over.
    if (answers === undefined || answers.nodes !== nodes) answers = new NodeAnswers(nodes);
    this.byKey.set(key, answers);
    if (this.byKey.size > this.capacity) this.byKey.delete(this.byKey.keys().next().value as string);
    return answers as NodeAnswers<T>;
  }
}
