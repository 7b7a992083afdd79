/**
 * The OpenAPI 3.0 document of one group version (`/openapi/v3/apis/apps/v1`): every operation of its
 * resources and, in components.schemas, every schema they reach. Catalog references become
 * `#/components/schemas/…`; a reference with siblings (a description, x-kubernetes-* facts) is wrapped
 * in allOf, since OpenAPI 3.0 ignores siblings of $ref — the form kube-apiserver serves.
 */
import type { ResourceDef } from '../registry/types.ts';
import type { Catalog } from './catalog.ts';
import { bodySchema, reachableDefinitions, responseSchema } from './operation-schemas.ts';
import { type Operation, resourceOperations } from './operations.ts';
import { refName, type Schema } from './schema.ts';

const componentsPrefix = '#/components/schemas/';
const patchTypes = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const bodyTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

type Json = Record<string, unknown>;

/** A catalog schema in OpenAPI 3 form (a new object; the catalog is not changed). */
export function toV3Schema(schema: Schema): Json {
  const { $ref, properties, items, additionalProperties, allOf, ...rest } = schema;
  const out: Json = {};
  const name = refName($ref);
  if (name !== undefined) {
    const ref = { $ref: `${componentsPrefix}${name}` };
    if (Object.keys(rest).length === 0) return ref;
    out.allOf = [ref];
  }
  if (allOf) out.allOf = [...((out.allOf as Json[] | undefined) ?? []), ...allOf.map(toV3Schema)];
  Object.assign(out, rest);
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toV3Schema(v)]));
  if (items) out.items = toV3Schema(items);
  if (additionalProperties !== undefined) {
    out.additionalProperties =
      typeof additionalProperties === 'boolean' ? additionalProperties : toV3Schema(additionalProperties);
  }
  return out;
}

function parameters(operation: Operation): Json[] {
  const path = operation.pathParameters.map((name) => ({
    name,
    in: 'path',
    description: `name of the ${name === 'namespace' ? 'Namespace' : operation.gvk.kind}`,
    required: true,
    schema: { type: 'string', uniqueItems: true },
  }));
  // Inline and named: kubectl's v3 fieldValidation check compares parameter names, it follows no $ref.
  const query = operation.query.map((q) => ({
    name: q.name,
    in: 'query',
    description: q.description,
    schema: { type: q.type, uniqueItems: true },
  }));
  return [...path, ...query];
}

function v3Operation(catalog: Catalog, operation: Operation): Json {
  const response = toV3Schema(responseSchema(catalog, operation));
  const content = Object.fromEntries(bodyTypes.map((type) => [type, { schema: response }]));
  const out: Json = {
    tags: [operation.tag],
    description: operation.description,
    operationId: operation.operationId,
    parameters: parameters(operation),
  };
  const body = bodySchema(catalog, operation);
  if (body) {
    const types = operation.body === 'patch' ? patchTypes : ['*/*'];
    out.requestBody = {
      content: Object.fromEntries(types.map((type) => [type, { schema: toV3Schema(body) }])),
      required: operation.body !== 'deleteOptions',
    };
  }
  const responses: Json = { '200': { description: 'OK', content } };
  if (operation.method === 'post' || operation.method === 'put') responses['201'] = { description: 'Created', content };
  if (operation.method === 'post' || operation.method === 'delete')
    responses['202'] = { description: 'Accepted', content };
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  out['x-kubernetes-action'] = operation.action;
  out['x-kubernetes-group-version-kind'] = { ...operation.gvk };
  return out;
}

export interface DocumentInfo {
  /** The Kubernetes version the server reports, e.g. `v1.33.0`. */
  version: string;
}

/** The document for the resources of one group version. */
export function buildV3Document(catalog: Catalog, resources: readonly ResourceDef[], info: DocumentInfo): Json {
  const paths: Record<string, Json> = {};
  const roots: Schema[] = [];
  const operations = resources.flatMap(resourceOperations).sort((a, b) => a.path.localeCompare(b.path));
  for (const operation of operations) {
    const item = paths[operation.path] ?? {};
    paths[operation.path] = item;
    item[operation.method] = v3Operation(catalog, operation);
    roots.push(responseSchema(catalog, operation));
    const body = bodySchema(catalog, operation);
    if (body) roots.push(body);
  }
  const schemas = Object.fromEntries(
    reachableDefinitions(catalog, roots).map((name) => [name, toV3Schema(catalog.definitions.get(name) ?? {})]),
  );
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: info.version },
    paths,
    components: { schemas },
  };
}
