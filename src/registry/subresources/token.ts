/** serviceaccounts/token: a TokenRequest answered with a token from the injected issuer. */
import { invalid, serviceUnavailable } from '../../status.ts';
import { getObject } from '../get.ts';
import { type RegistryState, type TokenRequestSpec, timestamp } from '../registry-state.ts';
import type { ResourceDef } from '../types.ts';

/** TokenRequest's default lifetime and the shortest one the API accepts. */
const defaultExpirationSeconds = 3600;
const minExpirationSeconds = 600;

export async function requestToken(
  state: RegistryState,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  body: unknown,
): Promise<{ object: unknown; code: number }> {
  const serviceAccount = await getObject(state, def, namespace, name, {});
  const spec: TokenRequestSpec = { ...((body as { spec?: TokenRequestSpec } | undefined)?.spec ?? {}) };
  const expirationSeconds = spec.expirationSeconds ?? defaultExpirationSeconds;
  if (expirationSeconds < minExpirationSeconds) {
    throw invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, name, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        value: expirationSeconds,
        detail: 'may not specify a duration less than 10 minutes',
      },
    ]);
  }
  if (!state.issueServiceAccountToken)
    throw serviceUnavailable('service account token issuing is not configured on this server');
  const now = state.clock();
  const audiences = spec.audiences?.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'];
  const token = await state.issueServiceAccountToken({
    namespace: namespace ?? '',
    serviceAccount: structuredClone(serviceAccount),
    spec: { ...spec, audiences },
    expirationSeconds,
    now,
  });
  return {
    code: 201,
    object: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token, expirationTimestamp: timestamp(now + expirationSeconds * 1000) },
    },
  };
}
