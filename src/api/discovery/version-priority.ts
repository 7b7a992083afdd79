/**
 * Kubernetes' version ordering for discovery (apimachinery version.CompareKubeAwareVersionStrings):
 * GA before beta before alpha, higher numbers first within each — `v2, v1, v1beta2, v1beta1, v1alpha1` —
 * and versions that do not look like Kubernetes versions last, alphabetically. The first is preferred.
 */
const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const stabilityRank: Record<string, number> = { '': 2, beta: 1, alpha: 0 };

function key(version: string): [number, number, number] | undefined {
  const m = kubeVersion.exec(version);
  if (!m) return undefined;
  return [stabilityRank[m[2] ?? ''] ?? 0, Number(m[1]), Number(m[3] ?? 0)];
}

/** Negative when `a` is preferred over `b`. */
export function compareVersions(a: string, b: string): number {
  const ka = key(a);
  const kb = key(b);
  if (ka && kb) {
    for (let i = 0; i < 3; i++) {
      const d = (kb[i] as number) - (ka[i] as number);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (ka) return -1;
  if (kb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
