/** Node selector terms (node affinity) as Kubernetes evaluates them: terms are ORed, requirements ANDed. */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from '../types.ts';

function matchesRequirement(value: string | undefined, r: NodeSelectorRequirement): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const bound = Number(r.values?.[0]);
      if (!Number.isFinite(bound)) return false;
      return r.operator === 'Gt' ? Number(value) > bound : Number(value) < bound;
    }
    default:
      return false;
  }
}

export function matchesTerm(node: Node, term: NodeSelectorTerm): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term matches nothing.
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!expressions.every((r) => matchesRequirement(labels[r.key], r))) return false;
  return fields.every((r) => matchesRequirement(r.key === 'metadata.name' ? node.metadata.name : undefined, r));
}

export function matchesAnyTerm(node: Node, terms: readonly NodeSelectorTerm[]): boolean {
  return terms.some((t) => matchesTerm(node, t));
}
