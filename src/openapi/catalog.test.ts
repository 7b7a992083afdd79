import { describe, expect, it } from 'vitest';
import { builtinResources } from '../registry/resources.ts';
import { getCatalog, quantityDefinition } from './catalog.ts';
import { definitionRef, type Schema } from './schema.ts';
import { schemaAt } from './schema-at.ts';
import { buildV2Document } from './v2-document.ts';
import { buildV3Document } from './v3-document.ts';
import { checkDecoding } from './validation/decode-validator.ts';

const catalog = getCatalog();
const definition = (name: string) => catalog.definitions.get(name);

describe('schema catalog', () => {
  it('has a definition with x-kubernetes-group-version-kind for every served kind', () => {
    const missing = builtinResources.filter((def) => {
      const name = catalog.definitionForKind(def.group, def.version, def.kind);
      const gvk = name ? definition(name)?.['x-kubernetes-group-version-kind'] : undefined;
      return !(
        Array.isArray(gvk) && gvk.some((g) => g.kind === def.kind && g.group === def.group && g.version === def.version)
      );
    });
    expect(missing.map((d) => `${d.group}/${d.version}/${d.kind}`)).toEqual([]);
  });

  it('maps model types onto OpenAPI types', () => {
    const meta = definition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')?.properties;
    expect(meta?.creationTimestamp).toMatchObject({ type: 'string', format: 'date-time' });
    expect(meta?.generation).toMatchObject({ type: 'integer', format: 'int64' });
    expect(meta?.labels).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(meta?.managedFields?.items).toEqual({
      $ref: definitionRef('io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry'),
    });
    const port = definition('io.k8s.api.core.v1.ServicePort')?.properties?.targetPort;
    expect(port).toMatchObject({ type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true });
    const revision = definition('io.k8s.api.apps.v1.ControllerRevision')?.properties?.data;
    expect(revision).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(definition('io.k8s.api.core.v1.Container')?.required).toEqual(['name']);
  });

  it('applies the facts as x-kubernetes-* extensions, enums and Quantity references', () => {
    const spec = definition('io.k8s.api.core.v1.PodSpec')?.properties;
    expect(spec?.containers).toMatchObject({
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(spec?.restartPolicy?.enum).toEqual(['Always', 'Never', 'OnFailure']);
    const limits = definition('io.k8s.api.core.v1.ResourceRequirements')?.properties?.limits;
    expect(limits?.additionalProperties).toEqual({ $ref: definitionRef(quantityDefinition) });
    expect(definition(quantityDefinition)?.type).toBe('string');
    expect(definition('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')?.['x-kubernetes-map-type']).toBe('atomic');
  });

  it('walks from a kind down a JSON path', () => {
    const containers = schemaAt({ group: 'apps', version: 'v1', kind: 'Deployment' }, [
      'spec',
      'template',
      'spec',
      'containers',
    ]);
    expect(containers?.schema['x-kubernetes-patch-merge-key']).toBe('name');
    const resources = schemaAt({ group: '', version: 'v1', kind: 'Pod' }, ['spec', 'containers', 'resources']);
    expect(resources?.definition).toBe('io.k8s.api.core.v1.ResourceRequirements');
    const byIndex = schemaAt({ group: '', version: 'v1', kind: 'Pod' }, ['spec', 'containers', '0', 'ports']);
    expect(byIndex?.schema['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    const label = schemaAt({ group: '', version: 'v1', kind: 'Pod' }, ['metadata', 'labels', 'app']);
    expect(label?.resolved.type).toBe('string');
    expect(schemaAt({ group: '', version: 'v1', kind: 'Pod' }, ['spec', 'bogus'])).toBeUndefined();
    expect(schemaAt({ group: 'x', version: 'v1', kind: 'Nope' }, [])).toBeUndefined();
  });

  it('adds and removes custom resource schemas under their reversed-group name', () => {
    const before = catalog.generation;
    const gvk = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
    const name = catalog.addCustomSchema(gvk, { type: 'object', properties: { spec: { type: 'object' } } });
    expect(name).toBe('com.example.stable.v1.CronTab');
    expect(catalog.definitionForKind('stable.example.com', 'v1', 'CronTab')).toBe(name);
    expect(schemaAt(gvk, ['spec'])?.resolved.type).toBe('object');
    catalog.removeCustomSchema(gvk);
    expect(catalog.definitionForKind('stable.example.com', 'v1', 'CronTab')).toBeUndefined();
    expect(catalog.generation).toBe(before + 2);
  });

  describe('leaf types (Time, MicroTime, IntOrString, Quantity, RawExtension, FieldsV1)', () => {
    const leaseSpec = 'io.k8s.api.coordination.v1.LeaseSpec';
    const dateTime = { type: 'string', format: 'date-time' };
    const leaf = (schema: Schema | undefined) => {
      const { description: _description, ...rest } = schema ?? {};
      return rest;
    };
    // What each leaf is served as, at one field that holds it.
    const expected: [string, string, Schema][] = [
      ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp', dateTime],
      [leaseSpec, 'renewTime', dateTime],
      ['io.k8s.api.core.v1.Event', 'eventTime', dateTime],
      ['io.k8s.api.events.v1.EventSeries', 'lastObservedTime', dateTime],
      [
        'io.k8s.api.apps.v1.RollingUpdateDeployment',
        'maxSurge',
        { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true },
      ],
      ['io.k8s.api.core.v1.EmptyDirVolumeSource', 'sizeLimit', { $ref: definitionRef(quantityDefinition) }],
      ['io.k8s.api.resource.v1beta1.CapacityRequestPolicyRange', 'min', { $ref: definitionRef(quantityDefinition) }],
      [
        'io.k8s.api.resource.v1.CapacityRequestPolicy',
        'validValues',
        { type: 'array', items: { $ref: definitionRef(quantityDefinition) }, 'x-kubernetes-list-type': 'atomic' },
      ],
      [
        'io.k8s.api.core.v1.ResourceRequirements',
        'requests',
        { type: 'object', additionalProperties: { $ref: definitionRef(quantityDefinition) } },
      ],
      [
        'io.k8s.api.apps.v1.ControllerRevision',
        'data',
        { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      ],
      [
        'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
        'fieldsV1',
        { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      ],
    ];

    it.each(expected)('%s.%s in the catalog', (name, field, schema) => {
      expect(leaf(definition(name)?.properties?.[field])).toEqual(schema);
    });

    it('MicroTime is a date-time string in the v2 and v3 documents too', () => {
      const leases = builtinResources.filter((d) => d.group === 'coordination.k8s.io' && d.version === 'v1');
      const v2 = buildV2Document(catalog, leases, { version: 'v1.35.0' });
      expect(leaf(v2.definitions[leaseSpec]?.properties?.renewTime)).toEqual(dateTime);
      const v3 = buildV3Document(catalog, leases, { version: 'v1.35.0' }) as {
        components: { schemas: Record<string, Schema> };
      };
      expect(leaf(v3.components.schemas[leaseSpec]?.properties?.acquireTime)).toEqual(dateTime);
    });

    it('validation takes a MicroTime string and rejects a number as Go decoding does', () => {
      const kind = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' };
      const lease = (renewTime: unknown) => ({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'l' },
        spec: { holderIdentity: 'a', renewTime },
      });
      expect(() => checkDecoding(kind, lease('2026-01-02T03:04:05.123456Z'), 'Strict')).not.toThrow();
      expect(() => checkDecoding(kind, lease(5), 'Strict')).toThrow(
        'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal number into Go struct field LeaseSpec.spec.renewTime of type string',
      );
    });
  });
});
