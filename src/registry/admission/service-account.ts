/**
 * The ServiceAccount admission step's token mount on pod create (kube-apiserver's ServiceAccount
 * plugin): unless the pod or its ServiceAccount opts out with automountServiceAccountToken: false, the
 * pod gets a projected `kube-api-access-<suffix>` volume (a bound token, the cluster CA from the
 * kube-root-ca.crt ConfigMap, the namespace) mounted read-only at the well-known path in every
 * container that does not mount something there already.
 *
 * Unlike kube, a ServiceAccount that does not exist yet is not a refusal: the default one is made by
 * a controller moments after its namespace, and a pod created in between is let through as it is.
 */
import type { KubeObject } from '../../types/meta.ts';
import { storageKey } from '../keys.ts';
import { generateName } from '../names.ts';
import type { RegistryState } from '../registry-state.ts';

export const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Container {
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Array<{ name: string }>;
  containers?: Container[];
  initContainers?: Container[];
}

async function serviceAccountAutomount(
  state: RegistryState,
  namespace: string,
  name: string,
): Promise<boolean | undefined> {
  const def = state.table.lookup('', 'v1', 'serviceaccounts');
  if (!def) return undefined;
  const { kv } = await state.store.get(storageKey(def, namespace, name));
  return kv
    ? (state.decoder.decode(kv) as { automountServiceAccountToken?: boolean }).automountServiceAccountToken
    : undefined;
}

/** The projected volume kube names kube-api-access-*: token (3607 s, as kube asks), CA and namespace. */
function tokenVolume(name: string) {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  };
}

export async function admitServiceAccountToken(state: RegistryState, pod: KubeObject): Promise<void> {
  // Static pods mirrored by a kubelet have no ServiceAccount token.
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  const spec = (pod.spec ?? {}) as PodSpec;
  const accountName = spec.serviceAccountName || 'default';
  const automount =
    spec.automountServiceAccountToken ??
    (await serviceAccountAutomount(state, pod.metadata.namespace ?? '', accountName)) ??
    true;
  if (!automount) return;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const needing = containers.filter((c) => !c.volumeMounts?.some((m) => m.mountPath === tokenMountPath));
  if (!needing.length) return;
  const taken = new Set((spec.volumes ?? []).map((v) => v.name));
  let name = generateName('kube-api-access-', state.random);
  while (taken.has(name)) name = generateName('kube-api-access-', state.random);
  spec.volumes = [...(spec.volumes ?? []), tokenVolume(name)];
  for (const c of needing)
    c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: tokenMountPath }];
  pod.spec = spec;
}
