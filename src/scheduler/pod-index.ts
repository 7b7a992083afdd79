/**
 * Counts the spreading and inter-pod affinity plugins need, kept incrementally so one scheduling cycle
 * does not visit every placed pod (kube-scheduler recounts them on each cycle; with 10,000 pods that
 * dominates):
 * - for a selector over some namespaces, how many placed pods match it on each node. A selector is
 *   tracked from its first use (one scan), then updated as pods are placed or removed; selectors unused
 *   for a long while are dropped;
 * - the required anti-affinity terms of placed pods, grouped by identical term, with the nodes holding
 *   them, so "does an existing pod repel this one" looks only at terms that could select it;
 * - the values each topology key takes across nodes (the domains to spread over).
 * Selectors are counted over explicit namespaces; terms with a namespaceSelector are left to a scan.
 */
import type { LabelSelector } from '../selectors/index.ts';
import type { NodeInfo } from './node-info.ts';
import { type CompiledTerm, requiredAntiAffinity } from './plugins/affinity-terms.ts';
import type { Pod } from './types.ts';

export interface PodLookup {
  /** Placed pods in `namespaces` matching `selector`, per node name (nodes without any are absent). */
  countByNode(
    namespaces: ReadonlySet<string>,
    selector: LabelSelector,
    skipTerminating: boolean,
  ): ReadonlyMap<string, number>;
  /**
   * Required anti-affinity terms of placed pods that might select `candidate` (a superset: callers still
   * match each term), with the nodes holding them.
   */
  antiAffinityTerms(candidate: Pod): readonly HeldTerm[];
  /** Distinct values of a node label across nodes (undefined-free). */
  domains(topologyKey: string): ReadonlySet<string>;
}

export interface HeldTerm {
  term: CompiledTerm;
  /** Pods holding the term, per node name. */
  nodes: ReadonlyMap<string, number>;
}

interface Query {
  key: string;
  namespaces: ReadonlySet<string>;
  selector: LabelSelector;
  skipTerminating: boolean;
  counts: Map<string, number>;
  lastUsed: number;
}

interface Held {
  key: string;
  term: CompiledTerm;
  nodes: Map<string, number>;
  holders: number;
}

const maxQueries = 4096;

/** `k=v` pairs a pod must carry to match the selector: the index buckets by the first of them. */
function requiredPair(selector: LabelSelector): string | undefined {
  for (const r of selector.requirements) {
    if (r.operator === '=' && r.values.length === 1) return `${r.key}=${r.values[0]}`;
  }
  return undefined;
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

function termKey(term: CompiledTerm): string {
  const namespaces = [...term.namespaces].sort().join(',');
  return `${namespaces}|${term.namespaceSelector?.toString() ?? '-'}|${term.topologyKey}|${term.selector?.toString() ?? ''}`;
}

export class PodIndex implements PodLookup {
  private readonly queries = new Map<string, Query>();
  /** Queries by required `k=v` pair (or '' for selectors without one). */
  private readonly queriesByPair = new Map<string, Set<Query>>();
  private readonly held = new Map<string, Held>();
  private readonly heldByPair = new Map<string, Set<Held>>();
  private domainCache = new Map<string, Set<string>>();
  private clock = 0;

  constructor(private readonly nodes: () => readonly NodeInfo[]) {}

  countByNode(namespaces: ReadonlySet<string>, selector: LabelSelector, skipTerminating: boolean) {
    const key = `${[...namespaces].sort().join(',')}|${skipTerminating ? 1 : 0}|${selector.toString()}`;
    let query = this.queries.get(key);
    if (!query) {
      query = { key, namespaces, selector, skipTerminating, counts: new Map(), lastUsed: 0 };
      for (const node of this.nodes()) {
        for (const { pod } of node.pods.values()) if (this.queryMatches(query, pod)) bump(query.counts, node.name, 1);
      }
      if (this.queries.size >= maxQueries) this.evictOldest();
      this.queries.set(key, query);
      const pair = requiredPair(selector) ?? '';
      let bucket = this.queriesByPair.get(pair);
      if (!bucket) {
        bucket = new Set();
        this.queriesByPair.set(pair, bucket);
      }
      bucket.add(query);
    }
    query.lastUsed = ++this.clock;
    return query.counts;
  }

  antiAffinityTerms(pod: Pod): readonly HeldTerm[] {
    const out: HeldTerm[] = [];
    const visit = (bucket: Set<Held> | undefined) => {
      if (bucket) for (const h of bucket) out.push(h);
    };
    visit(this.heldByPair.get(''));
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) visit(this.heldByPair.get(`${k}=${v}`));
    return out;
  }

  domains(topologyKey: string): ReadonlySet<string> {
    let values = this.domainCache.get(topologyKey);
    if (!values) {
      values = new Set();
      for (const node of this.nodes()) {
        const v = node.labels[topologyKey];
        if (v !== undefined) values.add(v);
      }
      this.domainCache.set(topologyKey, values);
    }
    return values;
  }

  /** A node was added, relabelled or removed. */
  nodesChanged(): void {
    this.domainCache = new Map();
  }

  /** A pod now counts on `nodeName` (call with the same object on removal). */
  added(nodeName: string, pod: Pod): void {
    this.update(nodeName, pod, 1);
  }

  removed(nodeName: string, pod: Pod): void {
    this.update(nodeName, pod, -1);
  }

  private update(nodeName: string, pod: Pod, by: number): void {
    const labels = pod.metadata.labels ?? {};
    const visit = (bucket: Set<Query> | undefined) => {
      if (!bucket) return;
      for (const q of bucket) if (this.queryMatches(q, pod)) bump(q.counts, nodeName, by);
    };
    visit(this.queriesByPair.get(''));
    for (const [k, v] of Object.entries(labels)) visit(this.queriesByPair.get(`${k}=${v}`));
    for (const term of requiredAntiAffinity(pod)) {
      const key = termKey(term);
      let h = this.held.get(key);
      if (!h) {
        if (by < 0) continue;
        h = { key, term, nodes: new Map(), holders: 0 };
        this.held.set(key, h);
        const pair = term.selector ? (requiredPair(term.selector) ?? '') : '';
        let bucket = this.heldByPair.get(pair);
        if (!bucket) {
          bucket = new Set();
          this.heldByPair.set(pair, bucket);
        }
        bucket.add(h);
      }
      bump(h.nodes, nodeName, by);
      h.holders += by;
      if (h.holders <= 0) {
        this.held.delete(key);
        this.heldByPair.get(term.selector ? (requiredPair(term.selector) ?? '') : '')?.delete(h);
      }
    }
  }

  private queryMatches(q: Query, pod: Pod): boolean {
    if (!q.namespaces.has(pod.metadata.namespace ?? 'default')) return false;
    if (q.skipTerminating && pod.metadata.deletionTimestamp) return false;
    return q.selector.matches(pod.metadata.labels);
  }

  private evictOldest(): void {
    let oldest: Query | undefined;
    for (const q of this.queries.values()) if (!oldest || q.lastUsed < oldest.lastUsed) oldest = q;
    if (!oldest) return;
    this.queries.delete(oldest.key);
    this.queriesByPair.get(requiredPair(oldest.selector) ?? '')?.delete(oldest);
  }
}

/**
 * The lookup as preemption sees it while it tries one node without some of its pods: every answer is
 * the cluster's, with that node's share recounted from its trial pods.
 */
export function withTrialNode(base: PodLookup, trial: NodeInfo): PodLookup {
  return {
    countByNode(namespaces, selector, skipTerminating) {
      const counts = new Map(base.countByNode(namespaces, selector, skipTerminating));
      counts.delete(trial.name);
      let n = 0;
      for (const { pod } of trial.pods.values()) {
        if (!namespaces.has(pod.metadata.namespace ?? 'default')) continue;
        if (skipTerminating && pod.metadata.deletionTimestamp) continue;
        if (selector.matches(pod.metadata.labels)) n++;
      }
      if (n > 0) counts.set(trial.name, n);
      return counts;
    },
    antiAffinityTerms(pod) {
      const out: HeldTerm[] = base.antiAffinityTerms(pod).map((h) => {
        const nodes = new Map(h.nodes);
        nodes.delete(trial.name);
        return { term: h.term, nodes };
      });
      for (const { pod: existing } of trial.pods.values()) {
        for (const term of requiredAntiAffinity(existing)) out.push({ term, nodes: new Map([[trial.name, 1]]) });
      }
      return out;
    },
    domains: (key) => base.domains(key),
  };
}
