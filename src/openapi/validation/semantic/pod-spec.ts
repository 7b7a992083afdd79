/**
 * PodSpec rules users hit most, for pods and every pod template (core validation ValidatePodSpec):
 * containers present, named as DNS labels and uniquely, with images, valid ports and protocols,
 * requests within limits; unique volume names; supported restart and DNS policies; sysctl names.
 */
import { parseQuantity } from '../../../quantity.ts';
import type { FieldError } from '../../../status.ts';
import type { ObjectMeta } from '../../../types/meta.ts';
import {
  dnsLabel,
  duplicates,
  entries,
  isSet,
  type Json,
  nonNegative,
  oneOf,
  portName,
  portRange,
  protocols,
  required,
} from './field-checks.ts';
import { validateObjectMeta } from './object-meta.ts';

export const restartPolicies = ['Always', 'OnFailure', 'Never'] as const;
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

function containerName(field: string, name: unknown): FieldError[] {
  return isSet(name) ? dnsLabel(field, name) : required(field, name);
}

function portErrors(path: string, ports: readonly Json[]): FieldError[] {
  return [
    ...ports.flatMap((port, i) => {
      const at = `${path}[${i}]`;
      return [
        ...(isSet(port.containerPort)
          ? portRange(`${at}.containerPort`, port.containerPort)
          : required(`${at}.containerPort`, undefined)),
        ...(port.hostPort ? portRange(`${at}.hostPort`, port.hostPort) : []),
        ...portName(`${at}.name`, port.name),
        ...oneOf(`${at}.protocol`, port.protocol, protocols),
      ];
    }),
    ...duplicates(path, ports, 'name'),
  ];
}

function quantityOf(value: unknown): number | undefined {
  try {
    return typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  } catch {
    return undefined;
  }
}

function resourceErrors(path: string, resources: unknown): FieldError[] {
  if (!resources || typeof resources !== 'object') return [];
  const { requests = {}, limits = {} } = resources as { requests?: Json; limits?: Json };
  const errors: FieldError[] = [];
  for (const [kind, list] of [
    ['requests', requests],
    ['limits', limits],
  ] as const) {
    for (const [name, value] of Object.entries(list ?? {})) {
      if ((quantityOf(value) ?? 0) < 0) {
        errors.push({
          type: 'FieldValueInvalid',
          field: `${path}.${kind}[${name}]`,
          value: String(value),
          detail: 'must be greater than or equal to 0',
        });
      }
    }
  }
  for (const [name, request] of Object.entries(requests ?? {})) {
    const limit = limits?.[name];
    const r = quantityOf(request);
    const l = quantityOf(limit);
    if (r !== undefined && l !== undefined && r > l) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `${path}.requests`,
        value: String(request),
        detail: `must be less than or equal to ${name} limit of ${String(limit)}`,
      });
    }
  }
  return errors;
}

function containerErrors(path: string, container: Json): FieldError[] {
  return [
    ...containerName(`${path}.name`, container.name),
    ...required(`${path}.image`, container.image),
    ...portErrors(`${path}.ports`, entries(container.ports)),
    ...oneOf(`${path}.imagePullPolicy`, container.imagePullPolicy, pullPolicies),
    ...resourceErrors(`${path}.resources`, container.resources),
  ];
}

/** A sysctl name, dots or slashes between segments; the text kube's message quotes. */
const sysctlPattern = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
const sysctlRegExp = new RegExp(sysctlPattern);

function sysctlErrors(path: string, sysctls: readonly Json[]): FieldError[] {
  const seen = new Set<unknown>();
  return sysctls.flatMap((sysctl, i): FieldError[] => {
    const field = `${path}[${i}].name`;
    const name = sysctl.name;
    if (!isSet(name)) return required(field, name);
    if (typeof name !== 'string' || name.length > 253 || !sysctlRegExp.test(name)) {
      return [
        {
          type: 'FieldValueInvalid',
          field,
          value: name,
          detail: `must have at most 253 characters and match regex ${sysctlPattern}`,
        },
      ];
    }
    if (seen.has(name)) return [{ type: 'FieldValueDuplicate', field, value: name }];
    seen.add(name);
    return [];
  });
}

/** Problems of the PodSpec at `path` (`spec`, `spec.template.spec`, ...). */
export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const s = (spec && typeof spec === 'object' ? spec : {}) as Json;
  const containers = entries(s.containers);
  const initContainers = entries(s.initContainers);
  const errors: FieldError[] = [];
  if (containers.length === 0) errors.push({ type: 'FieldValueRequired', field: `${path}.containers` });
  errors.push(...initContainers.flatMap((c, i) => containerErrors(`${path}.initContainers[${i}]`, c)));
  errors.push(...containers.flatMap((c, i) => containerErrors(`${path}.containers[${i}]`, c)));
  // Names are unique across init and regular containers; the duplicate is reported where it appears.
  const initNames = new Set(initContainers.map((c) => c.name));
  errors.push(...duplicates(`${path}.initContainers`, initContainers, 'name'));
  containers.forEach((c, i) => {
    if (isSet(c.name) && initNames.has(c.name)) {
      errors.push({ type: 'FieldValueDuplicate', field: `${path}.containers[${i}].name`, value: c.name });
    }
  });
  errors.push(...duplicates(`${path}.containers`, containers, 'name'));
  errors.push(...duplicates(`${path}.volumes`, entries(s.volumes), 'name'));
  errors.push(...oneOf(`${path}.restartPolicy`, s.restartPolicy, restartPolicies));
  errors.push(...oneOf(`${path}.dnsPolicy`, s.dnsPolicy, dnsPolicies));
  errors.push(...nonNegative(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds));
  errors.push(...nonNegative(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds));
  const securityContext = (s.securityContext ?? {}) as Json;
  errors.push(...sysctlErrors(`${path}.securityContext.sysctls`, entries(securityContext.sysctls)));
  return errors;
}

/**
 * A pod template at `path` (`spec.template`): its metadata, its PodSpec, and — for workloads whose pods
 * must keep running or must finish — the restart policies the owner allows, in Kubernetes' order.
 */
export function validatePodTemplate(
  template: unknown,
  path: string,
  allowedRestartPolicies?: readonly string[],
): FieldError[] {
  const t = (template && typeof template === 'object' ? template : {}) as { metadata?: ObjectMeta; spec?: Json };
  const errors = [...validateObjectMeta(t.metadata, `${path}.metadata`), ...validatePodSpec(t.spec, `${path}.spec`)];
  const policy = t.spec?.restartPolicy;
  if (allowedRestartPolicies && isSet(policy) && !allowedRestartPolicies.includes(policy as string)) {
    const field = `${path}.spec.restartPolicy`;
    const i = errors.findIndex((e) => e.field === field);
    if (i >= 0) errors.splice(i, 1);
    errors.push({ type: 'FieldValueNotSupported', field, value: policy, supported: [...allowedRestartPolicies] });
  }
  return errors;
}
