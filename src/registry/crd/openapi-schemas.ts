/**
 * Publishing served CRD versions in the schema catalog, so /openapi/v2 and /openapi/v3 carry them
 * (kubectl explain, client-side validation) and strategic-merge/apply code finds their list types and
 * map keys: `<Kind>` from openAPIV3Schema with metadata as ObjectMeta, and `<Kind>List`.
 */
import { customDefinitionName, getCatalog } from '../../openapi/catalog.ts';
import { definitionRef, type GroupVersionKind, type Schema } from '../../openapi/schema.ts';
import type { JSONSchemaProps } from './crd-types.ts';

const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const listMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

const apiVersionDescription =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';
const kindDescription =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.';

export interface PublishedVersion {
  gvk: GroupVersionKind;
  schema: JSONSchemaProps | undefined;
}

/** JSONSchemaProps as a catalog schema; x-kubernetes-validations stay out of published documents. */
function toSchema(props: JSONSchemaProps): Schema {
  const { properties, items, additionalProperties, allOf, anyOf, oneOf, not, ...rest } = props;
  const out: Schema = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'x-kubernetes-validations') continue;
    (out as Record<string, unknown>)[key] = value;
  }
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toSchema(v)]));
  if (items) out.items = toSchema(items);
  if (additionalProperties !== undefined)
    out.additionalProperties =
      typeof additionalProperties === 'boolean' ? additionalProperties : toSchema(additionalProperties);
  return out;
}

export function resourceSchema(schema: JSONSchemaProps | undefined): Schema {
  const root = schema ? toSchema(schema) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    ...root,
    type: 'object',
    properties: {
      ...(root.properties ?? {}),
      apiVersion: { description: apiVersionDescription, type: 'string' },
      kind: { description: kindDescription, type: 'string' },
      metadata: { $ref: definitionRef(objectMeta) },
    },
  };
}

const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;

export interface SchemaPublisher {
  /** Makes the catalog hold exactly these versions' schemas (and their lists) among those this publisher added. */
  publish(versions: readonly PublishedVersion[]): void;
}

/** One per registry: it only removes what it published itself. */
export function createSchemaPublisher(): SchemaPublisher {
  const published = new Map<string, string>();
  return { publish: (versions) => publish(published, versions) };
}

function publish(published: Map<string, string>, versions: readonly PublishedVersion[]): void {
  const wanted = new Map<string, { gvk: GroupVersionKind; schema: Schema }>();
  for (const { gvk, schema } of versions) {
    const definition = resourceSchema(schema);
    wanted.set(gvkKey(gvk), { gvk, schema: definition });
    const listGVK = { ...gvk, kind: `${gvk.kind}List` };
    wanted.set(gvkKey(listGVK), {
      gvk: listGVK,
      schema: {
        description: `${gvk.kind}List is a list of ${gvk.kind}`,
        type: 'object',
        required: ['items'],
        properties: {
          apiVersion: { description: apiVersionDescription, type: 'string' },
          items: { type: 'array', items: { $ref: definitionRef(customDefinitionName(gvk)) } },
          kind: { description: kindDescription, type: 'string' },
          metadata: { $ref: definitionRef(listMeta) },
        },
      },
    });
  }
  const unchanged = [...wanted].every(([key, w]) => published.get(key) === JSON.stringify(w.schema));
  if (unchanged && wanted.size === published.size) return;
  const catalog = getCatalog();
  for (const key of published.keys()) {
    if (wanted.has(key)) continue;
    const [group = '', version = '', kind = ''] = key.split('/');
    catalog.removeCustomSchema({ group, version, kind });
    published.delete(key);
  }
  for (const [key, { gvk, schema }] of wanted) {
    const text = JSON.stringify(schema);
    if (published.get(key) === text) continue;
    catalog.addCustomSchema(gvk, schema);
    published.set(key, text);
  }
}
