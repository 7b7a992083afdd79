/**
 * Pod (anti-)affinity terms compiled for matching: the label selector once, and the namespaces the term
 * applies to (its own list, or its namespaceSelector, or the pod's own namespace when both are absent).
 */
import { type LabelSelector, labelSelectorFromSpec } from '../../selectors/index.ts';
import type { Snapshot } from '../framework.ts';
import type { Pod, PodAffinityTerm } from '../types.ts';

export interface CompiledTerm {
  topologyKey: string;
  /** undefined: the term selects no pods (a nil labelSelector). */
  selector: LabelSelector | undefined;
  namespaces: Set<string>;
  namespaceSelector: LabelSelector | undefined;
  weight: number;
}

export function compileTerm(owner: Pod, term: PodAffinityTerm, weight = 1): CompiledTerm {
  const namespaces = new Set(term.namespaces ?? []);
  const namespaceSelector = term.namespaceSelector ? labelSelectorFromSpec(term.namespaceSelector) : undefined;
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(owner.metadata.namespace ?? 'default');
  return {
    topologyKey: term.topologyKey,
    selector: term.labelSelector ? labelSelectorFromSpec(term.labelSelector) : undefined,
    namespaces,
    namespaceSelector,
    weight,
  };
}

export function termMatches(term: CompiledTerm, pod: Pod, snapshot: Snapshot): boolean {
  if (!term.selector) return false;
  const namespace = pod.metadata.namespace ?? 'default';
  const inNamespace =
    term.namespaces.has(namespace) || (term.namespaceSelector?.matches(snapshot.namespaceLabels(namespace)) ?? false);
  return inNamespace && term.selector.matches(pod.metadata.labels);
}

export function requiredAffinity(pod: Pod): CompiledTerm[] {
  return (pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
    compileTerm(pod, t),
  );
}

export function requiredAntiAffinity(pod: Pod): CompiledTerm[] {
  return (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
    compileTerm(pod, t),
  );
}

export function preferredTerms(pod: Pod): { affinity: CompiledTerm[]; antiAffinity: CompiledTerm[] } {
  const a = pod.spec.affinity;
  return {
    affinity: (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) =>
      compileTerm(pod, w.podAffinityTerm, w.weight),
    ),
    antiAffinity: (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) =>
      compileTerm(pod, w.podAffinityTerm, w.weight),
    ),
  };
}

/** `key=value` of a node's topology domain for a key, or undefined when the node lacks the label. */
export function domainOf(labels: Record<string, string> | undefined, key: string): string | undefined {
  const value = labels?.[key];
  return value === undefined ? undefined : `${key}=${value}`;
}
