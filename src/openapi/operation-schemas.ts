/**
 * The schemas of one operation's body and response, as catalog references, and the set of
 * definitions a document must carry so that every reference in it resolves.
 */
import { type Catalog, deleteOptionsDefinition, patchDefinition, statusDefinition } from './catalog.ts';
import type { Operation } from './operations.ts';
import { definitionRef, refName, type Schema } from './schema.ts';

// A kind without a catalog schema (a custom resource before its CRD gives one) is any object.
const anyObject: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function kindSchema(catalog: Catalog, operation: Operation, suffix = ''): Schema {
  const { group, version, kind } = operation.gvk;
  const name = catalog.definitionForKind(group, version, `${kind}${suffix}`);
  return name ? { $ref: definitionRef(name) } : anyObject;
}

export function bodySchema(catalog: Catalog, operation: Operation): Schema | undefined {
  switch (operation.body) {
    case undefined:
      return undefined;
    case 'object':
      return kindSchema(catalog, operation);
    case 'patch':
      return { $ref: definitionRef(patchDefinition) };
    case 'deleteOptions':
      return { $ref: definitionRef(deleteOptionsDefinition) };
  }
}

export function responseSchema(catalog: Catalog, operation: Operation): Schema {
  switch (operation.response) {
    case 'object':
      return kindSchema(catalog, operation);
    case 'list':
      return kindSchema(catalog, operation, 'List');
    case 'status':
      return { $ref: definitionRef(statusDefinition) };
  }
}

/** Every definition reachable from the roots, sorted by name. */
export function reachableDefinitions(catalog: Catalog, roots: Iterable<Schema>): string[] {
  const seen = new Set<string>();
  const pending: Schema[] = [...roots];
  const visit = (schema: Schema | boolean | undefined) => {
    if (schema && typeof schema === 'object') pending.push(schema);
  };
  for (let schema = pending.pop(); schema; schema = pending.pop()) {
    const name = refName(schema.$ref);
    if (name && !seen.has(name)) {
      seen.add(name);
      visit(catalog.definitions.get(name));
    }
    for (const property of Object.values(schema.properties ?? {})) visit(property);
    for (const part of schema.allOf ?? []) visit(part);
    visit(schema.items);
    visit(schema.additionalProperties);
  }
  return [...seen].filter((name) => catalog.definitions.has(name)).sort();
}
