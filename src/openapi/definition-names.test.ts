import { describe, expect, it } from 'vitest';
import { definitionNames, parseModelName } from './definition-names.ts';
import { readModels } from './models.ts';

describe('model → definition names', () => {
  const names = definitionNames(readModels());

  it.each([
    ['V1Pod', 'io.k8s.api.core.v1.Pod'],
    ['V1DeploymentSpec', 'io.k8s.api.apps.v1.DeploymentSpec'],
    ['V1ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ['V1Preconditions', 'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions'],
    ['CoreV1Event', 'io.k8s.api.core.v1.Event'],
    ['EventsV1Event', 'io.k8s.api.events.v1.Event'],
    ['V2HorizontalPodAutoscaler', 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler'],
    ['RbacV1Subject', 'io.k8s.api.rbac.v1.Subject'],
    ['V1CustomResourceDefinition', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'],
    ['ApiextensionsV1ServiceReference', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ServiceReference'],
    ['V1APIService', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService'],
    ['VersionInfo', 'io.k8s.apimachinery.pkg.version.Info'],
  ])('%s is %s', (model, definition) => {
    expect(names.get(model)).toBe(definition);
  });

  it('splits group prefix, version and kind', () => {
    expect(parseModelName('V1beta1CSIStorageCapacity')).toEqual({ version: 'v1beta1', kind: 'CSIStorageCapacity' });
    expect(parseModelName('AdmissionregistrationV1ServiceReference')).toEqual({
      groupPrefix: 'admissionregistration',
      version: 'v1',
      kind: 'ServiceReference',
    });
    expect(parseModelName('ObjectSerializer')).toBeUndefined();
  });
});
