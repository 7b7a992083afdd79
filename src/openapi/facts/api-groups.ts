/**
 * The API group behind each Go package segment of a definition name: `io.k8s.api.rbac.v1.Role` is in
 * package `rbac`, served as group `rbac.authorization.k8s.io`. Data only; the group names are
 * kube-apiserver's.
 */
export const apiGroupByPackage: Readonly<Record<string, string>> = {
  core: '',
  admissionregistration: 'admissionregistration.k8s.io',
  apiextensions: 'apiextensions.k8s.io',
  apiregistration: 'apiregistration.k8s.io',
  apps: 'apps',
  authentication: 'authentication.k8s.io',
  authorization: 'authorization.k8s.io',
  autoscaling: 'autoscaling',
  batch: 'batch',
  certificates: 'certificates.k8s.io',
  coordination: 'coordination.k8s.io',
  discovery: 'discovery.k8s.io',
  events: 'events.k8s.io',
  flowcontrol: 'flowcontrol.apiserver.k8s.io',
  networking: 'networking.k8s.io',
  node: 'node.k8s.io',
  policy: 'policy',
  rbac: 'rbac.authorization.k8s.io',
  resource: 'resource.k8s.io',
  scheduling: 'scheduling.k8s.io',
  storage: 'storage.k8s.io',
  storagemigration: 'storagemigration.k8s.io',
};

/**
 * Definition-name prefixes of the packages outside k8s.io/api, by the same package segment. Kinds of
 * meta/v1 (Status, DeleteOptions, WatchEvent, ...) are served in the core group.
 */
export const definitionPackagePrefix: Readonly<Record<string, string>> = {
  apiextensions: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  apiregistration: 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
  meta: 'io.k8s.apimachinery.pkg.apis.meta',
};

/** `{ group, version }` of a definition's package, or undefined when it is no served group. */
export function groupVersionOfDefinition(definition: string): { group: string; version: string } | undefined {
  const labels = definition.split('.');
  const version = labels.at(-2);
  const segment = labels.at(-3);
  if (!version || !segment) return undefined;
  if (segment === 'meta') return { group: '', version };
  const group = apiGroupByPackage[segment];
  return group === undefined ? undefined : { group, version };
}
