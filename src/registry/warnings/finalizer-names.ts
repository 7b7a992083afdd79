/**
 * Custom resources accept any qualified finalizer name, so the apiextensions server warns about a newly
 * added one without a "/" (other than kube's own "kubernetes", "orphan", "foregroundDeletion"):
 * unqualified names written by two controllers would collide.
 */
import type { KubeObject } from '../../types/meta.ts';

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function finalizerNameWarnings(object: KubeObject, old: KubeObject | undefined): string[] {
  const finalizers = object.metadata.finalizers;
  if (!finalizers?.length) return [];
  const before = new Set(old?.metadata.finalizers ?? []);
  const added = [...new Set(finalizers)].filter((f) => !before.has(f)).sort();
  return added
    .filter((f) => !f.includes('/') && !standardFinalizers.has(f))
    .map(
      (f) =>
        `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`,
    );
}
