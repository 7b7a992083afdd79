/**
 * A CRD that uses every schema feature wharf serves, shared by the unit tests, the e2e tests and the
 * bench: three versions (v1 storage, v1beta1 served, v1alpha1 not served), status and scale
 * subresources, printer columns, short names and the `all` category, defaults, formats, enum,
 * pattern, bounds, lengths, item counts, required, nullable, int-or-string, preserve-unknown-fields,
 * an embedded resource, set and map lists (server-side apply, duplicates), and CEL rules with
 * message, messageExpression and transition rules (in spec, and in status, which only /status
 * writes change).
 */
import type { CRDVersion, JSONSchemaProps } from '../crd-types.ts';

export const widgetSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      'x-kubernetes-validations': [
        {
          rule: 'self.replicas <= self.maxReplicas',
          messageExpression: '"replicas " + string(self.replicas) + " exceeds maxReplicas " + string(self.maxReplicas)',
        },
        { rule: 'self.size == oldSelf.size', message: 'size is immutable' },
      ],
      properties: {
        size: { type: 'string', enum: ['small', 'medium', 'large'] },
        replicas: { type: 'integer', minimum: 0, default: 1 },
        maxReplicas: { type: 'integer', maximum: 100, default: 10 },
        color: { type: 'string', pattern: '^[a-z]+$', minLength: 3, maxLength: 12, default: 'blue' },
        email: { type: 'string', format: 'email' },
        note: { type: 'string', nullable: true },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', maxItems: 3, minItems: 1, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 } },
          },
        },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    status: {
      type: 'object',
      'x-kubernetes-validations': [
        {
          rule: '!has(self.readyReplicas) || !has(self.replicas) || self.readyReplicas <= self.replicas',
          message: 'readyReplicas must not exceed replicas',
        },
      ],
      properties: {
        replicas: { type: 'integer' },
        readyReplicas: { type: 'integer', minimum: 0 },
        selector: { type: 'string' },
        phase: {
          type: 'string',
          enum: ['Pending', 'Running', 'Failed'],
          default: 'Pending',
          'x-kubernetes-validations': [
            { rule: "self != 'Pending' || oldSelf == 'Pending'", message: 'phase cannot go back to Pending' },
          ],
        },
      },
    },
  },
};

const printerColumns: CRDVersion['additionalPrinterColumns'] = [
  { name: 'Size', type: 'string', jsonPath: '.spec.size' },
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
  { name: 'Phase', type: 'string', jsonPath: '.status.phase', priority: 1 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/** The Widget CRD (`widgets.example.com`), or one named for `group` (many CRDs in the bench). */
export function widgetCRD(group = 'example.com', kind = 'Widget', plural = 'widgets') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: {
        kind,
        plural,
        singular: kind.toLowerCase(),
        listKind: `${kind}List`,
        shortNames: [kind === 'Widget' ? 'wdg' : `${kind.toLowerCase()}s`],
        categories: ['all'],
      },
      conversion: { strategy: 'None' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: widgetSchema },
          subresources: {
            status: {},
            scale: {
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.status.selector',
            },
          },
          additionalPrinterColumns: printerColumns,
        },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: widgetSchema } },
        // Kept in the CRD but no longer served: absent from discovery, its URLs 404.
        { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: widgetSchema } },
      ] satisfies CRDVersion[],
    },
  };
}

/** A valid Widget in `version`. */
export function widget(name: string, spec: Record<string, unknown> = {}, version = 'v1') {
  return {
    apiVersion: `example.com/${version}`,
    kind: 'Widget',
    metadata: { name },
    spec: { size: 'small', ...spec },
  };
}
