/**
 * The Swagger 2.0 document (`/openapi/v2`): every operation of every served resource and every catalog
 * definition. kubectl 1.27/1.28 read it (as gnostic protobuf) for explain, validation and the
 * fieldValidation check, which looks for a parameter named fieldValidation on the kind's PATCH.
 */
import type { ResourceDef } from '../registry/types.ts';
import type { Catalog } from './catalog.ts';
import { bodySchema, responseSchema } from './operation-schemas.ts';
import { type Operation, resourceOperations } from './operations.ts';
import type { Schema } from './schema.ts';
import type { DocumentInfo } from './v3-document.ts';

export interface V2Parameter {
  name: string;
  in: 'path' | 'query' | 'body';
  description?: string;
  required?: boolean;
  type?: string;
  uniqueItems?: boolean;
  schema?: Schema;
}

export interface V2Operation {
  description: string;
  consumes: string[];
  produces: string[];
  schemes: string[];
  tags: string[];
  operationId: string;
  parameters: V2Parameter[];
  responses: Record<string, { description: string; schema?: Schema }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': { group: string; kind: string; version: string };
}

export type V2PathItem = Partial<Record<Operation['method'], V2Operation>>;

export interface V2Document {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, V2PathItem>;
  definitions: Record<string, Schema>;
}

const patchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];
const produces = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function v2Operation(catalog: Catalog, operation: Operation): V2Operation {
  const parameters: V2Parameter[] = operation.pathParameters.map((name) => ({
    name,
    in: 'path',
    description: `name of the ${name === 'namespace' ? 'Namespace' : operation.gvk.kind}`,
    required: true,
    type: 'string',
    uniqueItems: true,
  }));
  const body = bodySchema(catalog, operation);
  if (body) parameters.push({ name: 'body', in: 'body', required: operation.body !== 'deleteOptions', schema: body });
  for (const q of operation.query) {
    parameters.push({ name: q.name, in: 'query', description: q.description, type: q.type, uniqueItems: true });
  }
  const response = { description: 'OK', schema: responseSchema(catalog, operation) };
  const responses: V2Operation['responses'] = { '200': response };
  if (operation.method === 'post' || operation.method === 'put')
    responses['201'] = { ...response, description: 'Created' };
  if (operation.method === 'post' || operation.method === 'delete')
    responses['202'] = { ...response, description: 'Accepted' };
  responses['401'] = { description: 'Unauthorized' };
  return {
    description: operation.description,
    consumes: operation.body === 'patch' ? patchTypes : ['*/*'],
    produces,
    schemes: ['https'],
    tags: [operation.tag],
    operationId: operation.operationId,
    parameters,
    responses,
    'x-kubernetes-action': operation.action,
    'x-kubernetes-group-version-kind': {
      group: operation.gvk.group,
      kind: operation.gvk.kind,
      version: operation.gvk.version,
    },
  };
}

export function buildV2Document(catalog: Catalog, resources: readonly ResourceDef[], info: DocumentInfo): V2Document {
  const paths: Record<string, V2PathItem> = {};
  const operations = resources.flatMap(resourceOperations).sort((a, b) => a.path.localeCompare(b.path));
  for (const operation of operations) {
    const item = paths[operation.path] ?? {};
    paths[operation.path] = item;
    item[operation.method] = v2Operation(catalog, operation);
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: info.version },
    paths,
    definitions: Object.fromEntries([...catalog.definitions].sort(([a], [b]) => a.localeCompare(b))),
  };
}
