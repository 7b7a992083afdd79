/**
 * A container env entry repeating an earlier name: kube warns unless the later one builds on the
 * earlier by referencing it (X="$(X)-more"), because apply merges env by name and may drop one.
 */
import type { Obj } from './pod-templates.ts';

/** Pushes to `out`; `path()` is the container's field path. */
export function duplicateEnvWarnings(container: Obj, path: () => string, out: string[]): void {
  const env = container.env;
  if (!Array.isArray(env) || env.length < 2) return;
  const seen = new Set<string>();
  env.forEach((item: Obj | null, i) => {
    const name = String(item?.name ?? '');
    if (!seen.has(name)) {
      seen.add(name);
      return;
    }
    const value = typeof item?.value === 'string' ? item.value : '';
    const reference = `$(${name})`;
    const hides = item?.valueFrom != null || value === reference || !value.includes(reference);
    if (hides) {
      out.push(
        `${path()}.env[${i}]: hides previous definition of ${JSON.stringify(name)}, which may be dropped when using apply`,
      );
    }
  });
}
