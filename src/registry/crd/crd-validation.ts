/**
 * Validation of a CustomResourceDefinition (apiextensions validation.go, the parts that decide whether
 * its resources can be served): names, scope, exactly one storage version, a structural schema per
 * version, compilable x-kubernetes-validations rules and printer-column JSONPaths.
 */
import type { FieldError } from '../../status.ts';
import type { KubeObject } from '../../types/meta.ts';
import { compileRules } from './cel-rules.ts';
import type { CRDSpec, CRDVersion } from './crd-types.ts';
import { compileJsonPath } from './json-path.ts';
import { validateStructural } from './structural-schema.ts';

const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const printerTypes = ['integer', 'number', 'string', 'boolean', 'date'];

export function validateCRD(object: KubeObject): FieldError[] {
  const spec = (object.spec ?? {}) as Partial<CRDSpec>;
  const errors: FieldError[] = [];
  const names = spec.names;
  const expected = `${names?.plural ?? ''}.${spec.group ?? ''}`;
  if (object.metadata.name !== expected) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: object.metadata.name,
      detail: 'must be spec.names.plural+"."+spec.group',
    });
  }
  if (!spec.group) errors.push({ type: 'FieldValueRequired', field: 'spec.group', detail: '' });
  else if (!spec.group.includes('.'))
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.group',
      value: spec.group,
      detail: 'should be a domain with at least one dot',
    });
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.scope',
      value: spec.scope ?? '',
      supported: ['Cluster', 'Namespaced'],
    });
  }
  for (const field of ['plural', 'singular', 'kind', 'listKind'] as const) {
    const value = names?.[field];
    if (field === 'plural' || field === 'kind') {
      if (!value) errors.push({ type: 'FieldValueRequired', field: `spec.names.${field}`, detail: '' });
    }
    if (value && (field === 'plural' || field === 'singular') && !dns1035Label.test(value)) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `spec.names.${field}`,
        value,
        detail: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'",
      });
    }
  }
  errors.push(...validateVersions(spec.versions));
  return errors;
}

function validateVersions(versions: CRDVersion[] | undefined): FieldError[] {
  if (!Array.isArray(versions) || versions.length === 0)
    return [
      {
        type: 'FieldValueInvalid',
        field: 'spec.versions',
        value: [],
        detail: 'must have exactly one version marked as storage version',
      },
    ];
  const errors: FieldError[] = [];
  const storage = versions.filter((v) => v.storage === true).length;
  if (storage !== 1) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      value: versions,
      detail: 'must have exactly one version marked as storage version',
    });
  }
  if (!versions.some((v) => v.served))
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      value: versions,
      detail: 'must serve at least one version',
    });
  const seen = new Set<string>();
  versions.forEach((version, i) => {
    const path = `spec.versions[${i}]`;
    if (seen.has(version.name))
      errors.push({ type: 'FieldValueInvalid', field: `${path}.name`, value: version.name, detail: 'must be unique' });
    seen.add(version.name);
    const schema = version.schema?.openAPIV3Schema;
    const schemaPath = `${path}.schema.openAPIV3Schema`;
    if (!schema) errors.push({ type: 'FieldValueRequired', field: schemaPath, detail: 'schemas are required' });
    else {
      errors.push(...validateStructural(schema, schemaPath));
      errors.push(...compileRules(schema, schemaPath).errors);
    }
    version.additionalPrinterColumns?.forEach((column, c) => {
      const at = `${path}.additionalPrinterColumns[${c}]`;
      if (!printerTypes.includes(column.type))
        errors.push({
          type: 'FieldValueNotSupported',
          field: `${at}.type`,
          value: column.type,
          supported: printerTypes,
        });
      try {
        compileJsonPath(column.jsonPath ?? '');
      } catch (err) {
        errors.push({
          type: 'FieldValueInvalid',
          field: `${at}.jsonPath`,
          value: column.jsonPath,
          detail: err instanceof Error ? err.message : String(err),
        });
      }
    });
    const scale = version.subresources?.scale;
    if (scale) {
      for (const field of ['specReplicasPath', 'statusReplicasPath'] as const) {
        if (!scale[field])
          errors.push({ type: 'FieldValueRequired', field: `${path}.subresources.scale.${field}`, detail: '' });
      }
    }
  });
  return errors;
}
