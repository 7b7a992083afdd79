/**
 * Upstream tests that are, step for step, the generic API-operations walk (helpers/api-operations.ts)
 * over one resource: a table of resource, a valid body and the status check, not one file each.
 */

import type { ResourceRef } from '../../src/client/index.ts';
import { resources } from '../../src/client/index.ts';
import type { KubeObject } from '../../src/types/meta.ts';
import { type ApiOperationsSpec, exerciseApiOperations } from '../helpers/api-operations.ts';
import assert from '../helpers/assert.ts';
import { object, podTemplate, workload } from '../helpers/objects.ts';
import { type Area, type ConformanceTest, conformanceTest } from '../suite.ts';

const ref = (group: string, version: string, kind: string, plural: string, namespaced: boolean): ResourceRef => ({
  group,
  version,
  kind,
  plural,
  namespaced,
});
const apiVersion = (r: ResourceRef) => (r.group ? `${r.group}/${r.version}` : r.version);
const body =
  (r: ResourceRef, fields: Record<string, unknown>) =>
  (name: string): KubeObject =>
    object(apiVersion(r), r.kind, name, {}, structuredClone(fields));
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const conditionPatch = (type: string) => ({
  patch: {
    status: {
      conditions: [{ type, status: 'True', reason: 'E2E', message: 'Set from an e2e test', lastTransitionTime: now() }],
    },
  },
  check: (o: KubeObject) => {
    const conditions = (o.status as { conditions?: Array<{ type: string }> } | undefined)?.conditions ?? [];
    assert.ok(
      conditions.some((c) => c.type === type),
      `status has condition ${type}`,
    );
  },
});

const flowSchemas = ref('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema', 'flowschemas', false);
const priorityLevels = ref(
  'flowcontrol.apiserver.k8s.io',
  'v1',
  'PriorityLevelConfiguration',
  'prioritylevelconfigurations',
  false,
);
const vaps = ref(
  'admissionregistration.k8s.io',
  'v1',
  'ValidatingAdmissionPolicy',
  'validatingadmissionpolicies',
  false,
);
const vapBindings = ref(
  'admissionregistration.k8s.io',
  'v1',
  'ValidatingAdmissionPolicyBinding',
  'validatingadmissionpolicybindings',
  false,
);
const ingresses = ref('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true);
const ingressClasses = ref('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false);
const runtimeClasses = ref('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', false);
const podTemplates = ref('', 'v1', 'PodTemplate', 'podtemplates', true);
const csiDrivers = ref('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', false);
const csiNodes = ref('storage.k8s.io', 'v1', 'CSINode', 'csinodes', false);
const csiCapacities = ref('storage.k8s.io', 'v1', 'CSIStorageCapacity', 'csistoragecapacities', true);
const volumeAttachments = ref('storage.k8s.io', 'v1', 'VolumeAttachment', 'volumeattachments', false);

const webServer = { app: 'conformance-web' };
const pauseTemplate = { template: podTemplate(webServer) };

interface Row {
  codename: string;
  area: Area;
  needs: string;
  spec: ApiOperationsSpec;
}

const rows: Row[] = [
  {
    codename: '[sig-api-machinery] API priority and fairness should support FlowSchema API operations [Conformance]',
    area: 'apimachinery',
    needs: 'crud,discovery,watch,patch,status-subresource,deletecollection',
    spec: {
      ref: flowSchemas,
      discovery: true,
      watch: true,
      status: conditionPatch('StatusPatched'),
      make: body(flowSchemas, {
        spec: {
          matchingPrecedence: 10000,
          priorityLevelConfiguration: { name: 'global-default' },
          rules: [
            {
              subjects: [{ kind: 'User', user: { name: 'conformance-user' } }],
              nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['/conformance'] }],
            },
          ],
        },
      }),
    },
  },
  {
    codename:
      '[sig-api-machinery] API priority and fairness should support PriorityLevelConfiguration API operations [Conformance]',
    area: 'apimachinery',
    needs: 'crud,discovery,watch,patch,status-subresource,deletecollection',
    spec: {
      ref: priorityLevels,
      discovery: true,
      watch: true,
      status: conditionPatch('StatusPatched'),
      make: body(priorityLevels, {
        spec: { type: 'Limited', limited: { nominalConcurrencyShares: 2, limitResponse: { type: 'Reject' } } },
      }),
    },
  },
  {
    codename:
      '[sig-api-machinery] ValidatingAdmissionPolicy [Privileged:ClusterAdmin] should support ValidatingAdmissionPolicy API operations [Conformance]',
    area: 'apimachinery',
    needs: 'crud,discovery,watch,patch,status-subresource,deletecollection',
    spec: {
      ref: vaps,
      discovery: true,
      watch: true,
      status: conditionPatch('StatusUpdated'),
      make: body(vaps, {
        spec: {
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: ['apps'],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['deployments'],
              },
            ],
          },
          validations: [{ expression: 'object.spec.replicas <= 100' }],
        },
      }),
    },
  },
  {
    codename:
      '[sig-api-machinery] ValidatingAdmissionPolicy [Privileged:ClusterAdmin] should support ValidatingAdmissionPolicyBinding API operations [Conformance]',
    area: 'apimachinery',
    needs: 'crud,discovery,watch,patch,deletecollection',
    spec: {
      ref: vapBindings,
      discovery: true,
      watch: true,
      make: body(vapBindings, { spec: { policyName: 'conformance-policy', validationActions: ['Deny'] } }),
    },
  },
  {
    codename: '[sig-network] Ingress API should support creating Ingress API operations [Conformance]',
    area: 'network-objects',
    needs: 'crud,discovery,watch,patch,status-subresource,deletecollection',
    spec: {
      ref: ingresses,
      discovery: true,
      watch: true,
      status: {
        patch: { status: { loadBalancer: { ingress: [{ ip: '169.1.1.1' }] } } },
        check: (o) =>
          assert.deepEqual((o.status as { loadBalancer?: unknown }).loadBalancer, { ingress: [{ ip: '169.1.1.1' }] }),
      },
      make: body(ingresses, {
        spec: { defaultBackend: { service: { name: 'default-backend', port: { number: 8080 } } } },
      }),
    },
  },
  {
    codename: '[sig-network] IngressClass API should support creating IngressClass API operations [Conformance]',
    area: 'network-objects',
    needs: 'crud,discovery,watch,patch,deletecollection',
    spec: {
      ref: ingressClasses,
      discovery: true,
      watch: true,
      make: body(ingressClasses, { spec: { controller: 'example.com/controller' } }),
    },
  },
  {
    codename: '[sig-network] EndpointSlice should support creating EndpointSlice API operations [Conformance]',
    area: 'network-objects',
    needs: 'crud,discovery,watch,patch,deletecollection',
    spec: {
      ref: resources.endpointSlices,
      discovery: true,
      watch: true,
      make: body(resources.endpointSlices, {
        addressType: 'IPv4',
        endpoints: [{ addresses: ['1.2.3.4', '5.6.7.8'] }],
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      }),
    },
  },
  {
    codename: '[sig-node] RuntimeClass should support RuntimeClasses API operations [Conformance]',
    area: 'core',
    needs: 'crud,discovery,watch,patch,deletecollection',
    spec: {
      ref: runtimeClasses,
      discovery: true,
      watch: true,
      make: body(runtimeClasses, { handler: 'conformance-handler' }),
    },
  },
  {
    codename: '[sig-node] Lease lease API should be available [Conformance]',
    area: 'core',
    needs: 'crud,patch,label-selector,deletecollection',
    spec: {
      ref: resources.leases,
      make: body(resources.leases, {
        spec: { holderIdentity: 'holder', leaseDurationSeconds: 30, leaseTransitions: 0 },
      }),
    },
  },
  {
    codename: '[sig-node] PodTemplates should delete a collection of pod templates [Conformance]',
    area: 'core',
    needs: 'crud,label-selector,deletecollection',
    spec: { ref: podTemplates, make: body(podTemplates, pauseTemplate) },
  },
  {
    codename: '[sig-node] PodTemplates should run the lifecycle of PodTemplates [Conformance]',
    area: 'core',
    needs: 'crud,patch,label-selector',
    spec: { ref: podTemplates, count: 1, make: body(podTemplates, pauseTemplate) },
  },
  {
    codename: '[sig-node] ConfigMap should run through a ConfigMap lifecycle [Conformance]',
    area: 'core',
    needs: 'crud,patch,label-selector,deletecollection',
    spec: { ref: resources.configMaps, make: body(resources.configMaps, { data: { valueName: 'value' } }) },
  },
  {
    codename: '[sig-node] Secrets should patch a secret [Conformance]',
    area: 'core',
    needs: 'crud,patch,label-selector,deletecollection',
    spec: {
      ref: resources.secrets,
      count: 1,
      make: body(resources.secrets, { type: 'Opaque', data: { key: 'dmFsdWU=' } }),
    },
  },
  {
    codename: '[sig-instrumentation] Events should manage the lifecycle of an event [Conformance]',
    area: 'core',
    needs: 'events,crud,patch,label-selector',
    spec: { ref: resources.events, count: 1, make: (name) => coreEvent(name) },
  },
  {
    codename: '[sig-instrumentation] Events should delete a collection of events [Conformance]',
    area: 'core',
    needs: 'events,label-selector,deletecollection',
    spec: { ref: resources.events, make: (name) => coreEvent(name) },
  },
  {
    codename:
      '[sig-instrumentation] Events API should ensure that an event can be fetched, patched, deleted, and listed [Conformance]',
    area: 'core',
    needs: 'events,crud,patch',
    spec: { ref: resources.eventsV1, count: 1, make: (name) => eventsV1Event(name) },
  },
  {
    codename: '[sig-instrumentation] Events API should delete a collection of events [Conformance]',
    area: 'core',
    needs: 'events,crud,deletecollection',
    spec: { ref: resources.eventsV1, make: (name) => eventsV1Event(name) },
  },
  {
    codename: '[sig-scheduling] LimitRange should list, patch and delete a LimitRange by collection [Conformance]',
    area: 'core',
    needs: 'limit-range,label-selector,patch,deletecollection',
    spec: {
      ref: resources.limitRanges,
      make: body(resources.limitRanges, {
        spec: {
          limits: [
            {
              type: 'Container',
              default: { cpu: '500m', memory: '500Mi' },
              defaultRequest: { cpu: '100m', memory: '200Mi' },
            },
          ],
        },
      }),
    },
  },
  {
    codename: '[sig-auth] ServiceAccounts should run through the lifecycle of a ServiceAccount [Conformance]',
    area: 'auth',
    needs: 'crud,watch,patch,label-selector',
    spec: { ref: resources.serviceAccounts, count: 1, watch: true, make: body(resources.serviceAccounts, {}) },
  },
  {
    codename: '[sig-network] Services should test the lifecycle of an Endpoint [Conformance]',
    area: 'network-objects',
    needs: 'crud,watch,patch,label-selector,deletecollection',
    spec: {
      ref: resources.endpoints,
      count: 1,
      watch: true,
      make: body(resources.endpoints, {
        subsets: [{ addresses: [{ ip: '10.0.0.24' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
      }),
    },
  },
  {
    codename: '[sig-apps] CronJob should support CronJob API operations [Conformance]',
    area: 'apps',
    needs: 'crud,watch,patch,status-subresource,deletecollection',
    spec: {
      ref: resources.cronJobs,
      discovery: true,
      watch: true,
      status: {
        patch: { status: { lastScheduleTime: '2024-01-01T00:00:00Z' } },
        check: (o) =>
          assert.equal((o.status as { lastScheduleTime?: string }).lastScheduleTime, '2024-01-01T00:00:00Z'),
      },
      make: body(resources.cronJobs, {
        spec: {
          schedule: '*/1 * * * ?',
          suspend: true,
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'OnFailure',
                  containers: [{ name: 'c', image: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1' }],
                },
              },
            },
          },
        },
      }),
    },
  },
  {
    codename:
      '[sig-apps] DisruptionController Listing PodDisruptionBudgets for all namespaces should list and delete a collection of PodDisruptionBudgets [Conformance]',
    area: 'apps',
    needs: 'crud,deletecollection',
    spec: {
      ref: resources.podDisruptionBudgets,
      make: body(resources.podDisruptionBudgets, { spec: { minAvailable: 1, selector: { matchLabels: webServer } } }),
    },
  },
  {
    codename:
      '[sig-apps] ControllerRevision [Serial] should manage the lifecycle of a ControllerRevision [Conformance]',
    area: 'apps',
    needs: 'daemonset-controller,crud,label-selector,patch,deletecollection',
    spec: {
      ref: resources.controllerRevisions,
      make: body(resources.controllerRevisions, { revision: 1, data: { spec: { template: podTemplate(webServer) } } }),
    },
  },
  {
    codename: '[sig-storage] CSIInlineVolumes should run through the lifecycle of a CSIDriver [Conformance]',
    area: 'storage-objects',
    needs: 'crud,patch,label-selector,deletecollection',
    spec: {
      ref: csiDrivers,
      make: body(csiDrivers, {
        spec: { attachRequired: true, podInfoOnMount: true, volumeLifecycleModes: ['Ephemeral'] },
      }),
      skipUpdate: false,
    },
  },
  {
    codename: '[sig-storage] CSINodes CSI Conformance should run through the lifecycle of a csinode [Conformance]',
    area: 'storage-objects',
    needs: 'crud,patch,label-selector,deletecollection',
    spec: { ref: csiNodes, make: body(csiNodes, { spec: { drivers: [] } }) },
  },
  {
    codename: '[sig-storage] CSIStorageCapacity should support CSIStorageCapacities API operations [Conformance]',
    area: 'storage-objects',
    needs: 'crud,discovery,watch,patch,deletecollection',
    spec: {
      ref: csiCapacities,
      discovery: true,
      watch: true,
      make: body(csiCapacities, { storageClassName: 'e2e-sc', capacity: '1Gi' }),
    },
  },
  {
    codename:
      '[sig-storage] StorageClasses CSI Conformance should run through the lifecycle of a StorageClass [Conformance]',
    area: 'storage-objects',
    needs: 'crud,patch,label-selector,deletecollection',
    spec: {
      ref: resources.storageClasses,
      make: body(resources.storageClasses, { provisioner: 'e2e-fake-provisioner', reclaimPolicy: 'Delete' }),
    },
  },
  {
    codename:
      '[sig-storage] VolumeAttachment Conformance should run through the lifecycle of a VolumeAttachment [Conformance]',
    area: 'storage-objects',
    needs: 'crud,patch,label-selector,deletecollection',
    spec: { ref: volumeAttachments, make: volumeAttachment },
  },
  {
    codename:
      '[sig-storage] VolumeAttachment Conformance should apply changes to a volumeattachment status [Conformance]',
    area: 'storage-objects',
    needs: 'status-subresource,patch,crud',
    spec: {
      ref: volumeAttachments,
      count: 1,
      make: volumeAttachment,
      status: {
        patch: { status: { attached: true } },
        check: (o) => assert.equal((o.status as { attached?: boolean }).attached, true),
      },
    },
  },
  {
    codename: '[sig-apps] Daemon set [Serial] should verify changes to a daemon set status [Conformance]',
    area: 'apps',
    needs: 'status-subresource,patch',
    spec: {
      ref: resources.daemonSets,
      count: 1,
      watch: true,
      status: conditionPatch('StatusPatched'),
      make: (name) => workload('DaemonSet', name, { selector: { 'daemonset-name': name } }),
    },
  },
];

function coreEvent(name: string): KubeObject {
  return object(
    'v1',
    'Event',
    name,
    {},
    {
      involvedObject: { kind: 'Pod', name: 'conformance-pod', namespace: 'default', apiVersion: 'v1' },
      reason: 'Testing',
      message: 'This is a test event',
      type: 'Normal',
      count: 1,
      source: { component: 'conformance' },
      firstTimestamp: now(),
      lastTimestamp: now(),
    },
  );
}

function eventsV1Event(name: string): KubeObject {
  return object(
    'events.k8s.io/v1',
    'Event',
    name,
    {},
    {
      eventTime: new Date().toISOString().replace('Z', '000Z'),
      reportingController: 'conformance.example.com/controller',
      reportingInstance: 'conformance-instance',
      action: 'Testing',
      reason: 'Testing',
      note: 'This is a test event',
      type: 'Normal',
      regarding: { kind: 'Pod', name: 'conformance-pod', namespace: 'default', apiVersion: 'v1' },
    },
  );
}

function volumeAttachment(name: string): KubeObject {
  return object(
    'storage.k8s.io/v1',
    'VolumeAttachment',
    name,
    {},
    {
      spec: {
        attacher: 'e2e-test.storage.k8s.io',
        nodeName: 'conformance-node',
        source: { persistentVolumeName: `pv-${name}` },
      },
    },
  );
}

export const apiOperationsTests: ConformanceTest[] = rows.map((row) =>
  conformanceTest({
    codename: row.codename,
    area: row.area,
    needs: row.needs.split(','),
    run: (ctx) => exerciseApiOperations(ctx, row.spec),
  }),
);
