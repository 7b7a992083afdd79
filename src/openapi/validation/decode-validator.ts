/**
 * Decoding checks of a write's body against the kind's schema, as kube-apiserver's decoder does them
 * before anything else: a value of the wrong JSON type (or a malformed Quantity or base64 string) is
 * 400 BadRequest; fields the type does not have are handled per `fieldValidation` — Strict: 400 naming
 * every one; Warn: one warning each; Ignore: nothing said — and, unless Strict fails, dropped from the
 * object, because a real server's typed decode never keeps them.
 *
 * One ajv root schema holds every built-in definition; each kind's validator is compiled on its first
 * write and kept (never on the start-up path).
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { isQuantity } from '../../quantity.ts';
import { badRequest } from '../../status.ts';
import { type Catalog, getCatalog } from '../catalog.ts';
import type { GroupVersionKind } from '../schema.ts';
import { createAjv } from './ajv.ts';
import { base64ErrorMessage, isBase64, quantityMessage, typeErrorMessage } from './go-decode-errors.ts';
import { byteFormat, quantityFormat, toValidationDefinitions } from './validation-schema.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const rootId = 'k8s';

interface Compiler {
  ajv: Ajv;
  catalog: Catalog;
  validators: Map<string, ValidateFunction | undefined>;
}

let compiler: Compiler | undefined;

function getCompiler(): Compiler {
  if (compiler) return compiler;
  const catalog = getCatalog();
  const ajv = createAjv({ [quantityFormat]: isQuantity, [byteFormat]: isBase64 }, { inlineRefs: true });
  ajv.addSchema({ $id: rootId, definitions: toValidationDefinitions(catalog.definitions) });
  compiler = { ajv, catalog, validators: new Map() };
  return compiler;
}

/** The kind's validator, compiled once; undefined for a kind the catalog does not know. */
function validatorFor(gvk: GroupVersionKind): { validate: ValidateFunction; definition: string } | undefined {
  const c = getCompiler();
  const definition = c.catalog.definitionForKind(gvk.group, gvk.version, gvk.kind);
  if (!definition) return undefined;
  if (!c.validators.has(definition)) {
    const known = c.ajv.getSchema(`${rootId}#/definitions/${definition}`) !== undefined;
    c.validators.set(definition, known ? c.ajv.compile({ $ref: `${rootId}#/definitions/${definition}` }) : undefined);
  }
  const validate = c.validators.get(definition);
  return validate && { validate, definition };
}

const decodePointer = (pointer: string): string[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));

function childOf(node: unknown, segment: string): unknown {
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
}

/** `spec.containers[0].foo`: indexes in brackets, as strict decoding names a field. */
function fieldPath(root: unknown, segments: readonly string[]): string {
  let path = '';
  let node = root;
  for (const segment of segments) {
    path += Array.isArray(node) ? `[${segment}]` : path ? `.${segment}` : segment;
    node = childOf(node, segment);
  }
  return path;
}

/** Document order of two paths: strict decoding reports unknown fields as it meets them. */
function compareInDocument(root: unknown, a: readonly string[], b: readonly string[]): number {
  let node = root;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) {
      if (Array.isArray(node)) return Number(x) - Number(y);
      const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
      return keys.indexOf(x) - keys.indexOf(y);
    }
    node = childOf(node, x);
  }
  return a.length - b.length;
}

function removeAt(root: unknown, segments: readonly string[]): void {
  let node = root;
  for (const segment of segments.slice(0, -1)) node = childOf(node, segment);
  const last = segments[segments.length - 1];
  if (last !== undefined && node !== null && typeof node === 'object') delete (node as Record<string, unknown>)[last];
}

/** The message of the first error that makes the body undecodable, if any. */
function decodeFailure(
  c: Compiler,
  definition: string,
  object: unknown,
  errors: readonly ErrorObject[],
): string | undefined {
  for (const e of errors) {
    const segments = decodePointer(e.instancePath);
    let value: unknown = object;
    for (const s of segments) value = childOf(value, s);
    if (e.keyword === 'type') return typeErrorMessage(c.catalog, definition, segments, value);
    if (e.keyword === 'format') {
      return e.params.format === quantityFormat ? quantityMessage : base64ErrorMessage(String(value));
    }
  }
  return undefined;
}

/**
 * Checks `object` (a write's body, already a plain object) for `gvk`; throws 400 BadRequest as a real
 * server does, or drops unknown fields from `object` in place. Warn pushes to `warnings`.
 */
export function checkDecoding(
  gvk: GroupVersionKind,
  object: Record<string, unknown>,
  fieldValidation: FieldValidation,
  warnings?: string[],
): void {
  const found = validatorFor(gvk);
  if (!found || found.validate(object)) return;
  const c = getCompiler();
  const errors = found.validate.errors ?? [];
  const cannotHandle = (why: string) =>
    badRequest(`${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${why}`);
  const failure = decodeFailure(c, found.definition, object, errors);
  if (failure) throw cannotHandle(failure);
  const unknown = errors
    .filter((e) => e.keyword === 'additionalProperties')
    .map((e) => [...decodePointer(e.instancePath), String(e.params.additionalProperty)])
    .sort((a, b) => compareInDocument(object, a, b));
  if (unknown.length === 0) return;
  const names = unknown.map((segments) => `unknown field "${fieldPath(object, segments)}"`);
  if (fieldValidation === 'Strict') throw cannotHandle(`strict decoding error: ${names.join(', ')}`);
  if (fieldValidation === 'Warn') warnings?.push(...names);
  for (const segments of unknown) removeAt(object, segments);
}
