import { describe, expect, it } from 'vitest';
import { deploymentStrategy } from '../../../registry/strategies/workload.ts';
import { invalid } from '../../../status.ts';
import type { KubeObject } from '../../../types/meta.ts';
import {
  validateConfigKeys,
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate,
  validateService,
} from './core-objects.ts';
import { goLabelSelector, goStringMap } from './go-value.ts';
import { validateObjectMeta } from './object-meta.ts';
import { validatePodSpec } from './pod-spec.ts';
import { validateCronJob, validateDeployment, validateJob } from './workloads.ts';

type Spec = Record<string, unknown>;
const container = (extra: Spec = {}) => ({ name: 'web', image: 'nginx:1.27', ...extra });
const template = (spec: Spec = {}, labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [container()], ...spec },
});
const deployment = (spec: Spec = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});
const object = (fields: Spec): KubeObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, ...fields });

/** The 422 message a real server gives for these errors on Deployment "web". */
const messageOf = (errors: Parameters<typeof invalid>[2]) =>
  errors.length ? invalid({ group: 'apps', kind: 'Deployment' }, 'web', errors).message : 'valid';
const prefix = 'Deployment.apps "web" is invalid: ';

describe('semantic validation', () => {
  it.each<[string, () => Parameters<typeof invalid>[2], string]>([
    [
      'label keys',
      () => validateObjectMeta({ labels: { 'bad key': 'x' } }),
      `metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [
      'label values',
      () => validateObjectMeta({ labels: { app: 'a'.repeat(64) } }),
      `metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
    ],
    ['missing containers', () => validatePodSpec({ containers: [] }, 'spec'), 'spec.containers: Required value'],
    [
      'duplicate container names',
      () => validatePodSpec({ containers: [container(), container()] }, 'spec'),
      'spec.containers[1].name: Duplicate value: "web"',
    ],
    [
      'a missing image',
      () => validatePodSpec({ containers: [{ name: 'web' }] }, 'spec'),
      'spec.containers[0].image: Required value',
    ],
    [
      'a sysctl name that is not dotted segments',
      () =>
        validatePodSpec(
          { containers: [container()], securityContext: { sysctls: [{ name: 'kernel.shmmax' }, { name: 'bar..' }] } },
          'spec',
        ),
      'spec.securityContext.sysctls[1].name: Invalid value: "bar..": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
    ],
    [
      'a sysctl named twice',
      () =>
        validatePodSpec(
          {
            containers: [container()],
            securityContext: { sysctls: [{ name: 'net.core.somaxconn' }, { name: 'net.core.somaxconn' }] },
          },
          'spec',
        ),
      'spec.securityContext.sysctls[1].name: Duplicate value: "net.core.somaxconn"',
    ],
    [
      'container ports out of range',
      () => validatePodSpec({ containers: [container({ ports: [{ containerPort: 70000 }] })] }, 'spec'),
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
    [
      'an unknown protocol',
      () => validatePodSpec({ containers: [container({ ports: [{ containerPort: 80, protocol: 'tcp' }] })] }, 'spec'),
      'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
    ],
    [
      'requests above limits',
      () =>
        validatePodSpec(
          { containers: [container({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] },
          'spec',
        ),
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ],
    [
      'negative replicas',
      () => validateDeployment(deployment({ replicas: -1 })),
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'a Deployment whose pods would not restart',
      () => validateDeployment(deployment({ template: template({ restartPolicy: 'Never' }) })),
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
    [
      'a rollout that can make no progress',
      () => validateDeployment(deployment({ strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } })),
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ],
    [
      'a selector that misses the template',
      () => deploymentStrategy.validate?.(deployment({ template: template({}, { app: 'other' }) })) ?? [],
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    ],
    [
      'a changed selector',
      () =>
        deploymentStrategy.validateUpdate?.(deployment({ selector: { matchLabels: { app: 'x' } } }), deployment()) ??
        [],
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ],
    [
      'a Job that restarts Always',
      () => validateJob(object({ spec: { template: template({ restartPolicy: 'Always' }) } })),
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ],
    [
      'a CronJob schedule with too few fields',
      () =>
        validateCronJob(
          object({
            spec: { schedule: '* *', jobTemplate: { spec: { template: template({ restartPolicy: 'Never' }) } } },
          }),
        ),
      'spec.schedule: Invalid value: "* *": expected exactly 5 fields, found 2: [* *]',
    ],
    [
      'service ports',
      () => validateService(object({ spec: { ports: [{ port: 0 }] } })),
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
    [
      'unnamed ports of a multi-port service',
      () => validateService(object({ spec: { ports: [{ name: 'http', port: 80 }, { port: 443 }] } })),
      'spec.ports[1].name: Required value',
    ],
    [
      'a service port name that is no DNS label',
      () => validateService(object({ spec: { ports: [{ name: 'Web', port: 80 }] } })),
      `spec.ports[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'a claim without access modes',
      () => validatePersistentVolumeClaim(object({ spec: { resources: { requests: { storage: '1Gi' } } } })),
      'spec.accessModes: Required value: at least 1 access mode is required',
    ],
    [
      'a changed claim spec',
      () =>
        validatePersistentVolumeClaimUpdate(
          object({ spec: { accessModes: ['ReadWriteMany'] } }),
          object({ spec: { accessModes: ['ReadWriteOnce'] } }),
        ),
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ],
    [
      'config keys',
      () => validateConfigKeys(object({ data: { 'bad key': 'v' } }), ['data']),
      `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ],
  ])('rejects %s as Kubernetes words it', (_name, check, expected) => {
    expect(messageOf(check())).toBe(prefix + expected);
  });

  it('accepts valid objects', () => {
    expect(validateDeployment(deployment())).toEqual([]);
    expect(deploymentStrategy.validate?.(deployment())).toEqual([]);
    // kubectl create service names its ports "<port>-<targetPort>": digits only are a valid DNS label.
    expect(validateService(object({ spec: { ports: [{ name: '80-8080', port: 80, targetPort: 8080 }] } }))).toEqual([]);
    expect(
      validatePersistentVolumeClaimUpdate(
        object({
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, volumeName: 'pv-1' },
        }),
        object({ spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }),
      ),
    ).toEqual([]);
  });

  it('prints maps and selectors as Go does', () => {
    expect(goStringMap({ b: '2', a: '1' })).toBe('map[string]string{"a":"1", "b":"2"}');
    expect(goLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] })).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v"}}}}',
    );
  });
});
