/**
 * Model classes of client-node that the protobuf table cannot name, because their packages live
 * outside k8s.io/api and k8s.io/apimachinery (apiextensions-apiserver, kube-aggregator, version), by
 * short name: data only. Group-prefixed models (`ApiextensionsV1ServiceReference`) are found by prefix.
 */
export const apiextensionsKinds: readonly string[] = [
  'CustomResourceColumnDefinition',
  'CustomResourceConversion',
  'CustomResourceDefinition',
  'CustomResourceDefinitionCondition',
  'CustomResourceDefinitionList',
  'CustomResourceDefinitionNames',
  'CustomResourceDefinitionSpec',
  'CustomResourceDefinitionStatus',
  'CustomResourceDefinitionVersion',
  'CustomResourceSubresourceScale',
  'CustomResourceSubresources',
  'CustomResourceValidation',
  'ExternalDocumentation',
  'JSONSchemaProps',
  'SelectableField',
  'ValidationRule',
  'WebhookConversion',
];

export const apiregistrationKinds: readonly string[] = [
  'APIService',
  'APIServiceCondition',
  'APIServiceList',
  'APIServiceSpec',
  'APIServiceStatus',
];

/** Models whose class name has no version label. */
export const unversionedModels: Readonly<Record<string, string>> = {
  VersionInfo: 'io.k8s.apimachinery.pkg.version.Info',
};

/**
 * When a short name exists in several packages of the same version (`Preconditions` in meta/v1 and in
 * core/v1), the model is the first package here that has it.
 */
export const preferredPackages: readonly string[] = ['io.k8s.apimachinery.pkg.apis.meta.', 'io.k8s.api.core.'];
