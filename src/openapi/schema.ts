/**
 * The OpenAPI schema shape the catalog holds. One shape serves Swagger 2 `definitions` and OpenAPI 3
 * `components.schemas`: references are stored as `#/definitions/<name>` and rewritten per document
 * (see v3-document.ts). Extensions are the x-kubernetes-* keys kubectl and the patch code read.
 */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  $ref?: string;
  allOf?: Schema[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  [extension: `x-${string}`]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const definitionPrefix = '#/definitions/';

/** `#/definitions/io.k8s.api.core.v1.Pod` for a definition name. */
export function definitionRef(name: string): string {
  return `${definitionPrefix}${name}`;
}

/** The definition name a `$ref` points at, or undefined for anything else. */
export function refName(ref: string | undefined): string | undefined {
  return ref?.startsWith(definitionPrefix) ? ref.slice(definitionPrefix.length) : undefined;
}
