/**
 * Request bodies → values: media-type negotiation for object bodies (create/update) and patches, strict
 * UTF-8, Go-worded parse errors, and limits on nesting and (for YAML aliases) expanded size, so hostile
 * input is a 400 and never a stack overflow or a hang further down.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { decodeKubernetesProtobuf, isProtobufContentType } from '../../openapi/protobuf/decode-kubernetes-protobuf.ts';
import type { PatchType, SubresourceDef } from '../../registry/types.ts';
import { groupVersion, type ResourceDef } from '../../registry/types.ts';
import { badRequest, unsupportedMediaType } from '../../status.ts';
import { goJsonSyntaxError } from './json-error.ts';

/** Far deeper than any real object (the deepest built-in kinds nest ~20 levels); keeps recursion safe. */
export const maxNestingDepth = 1000;
/** Values a YAML document may expand to through aliases; 3 MiB of JSON cannot hold more than this. */
const maxExpandedNodes = 3 * 1024 * 1024;

export const objectMediaTypes = ['application/json', 'application/yaml'] as const;

export const patchMediaTypes: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** `application/json; charset=utf-8` → `application/json`; '' when absent. */
export function mediaTypeOf(header: string | null | undefined): string {
  if (!header) return '';
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array, prefix: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest(`${prefix}invalid UTF-8 in request body`);
  }
}

/** Undefined when fine, else what is wrong. Iterative: the value may be deeper than the JS stack. */
function shapeProblem(value: unknown): 'depth' | 'size' | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (++nodes > maxExpandedNodes) return 'size';
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxNestingDepth) return 'depth';
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/**
 * Whether valid JSON text nests objects and arrays deeper than `max`, by counting brackets outside
 * strings: a scan of the text is far cheaper than walking the parsed value, and JSON (unlike YAML
 * aliases) cannot expand beyond its text, so depth is the only shape limit it needs.
 */
function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character: an escaped quote does not end the string.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function parseJson(text: string, prefix: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`${prefix}${goJsonSyntaxError(err, text)}`);
  }
  if (jsonNestsDeeperThan(text, maxNestingDepth)) throw badRequest(`${prefix}exceeded max depth`);
  return value;
}

function parseYaml(text: string, prefix: string): unknown {
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA, maxDepth: maxNestingDepth });
  } catch (err) {
    const reason = err instanceof YAMLException ? yamlReason(err) : String(err);
    throw badRequest(`${prefix}error converting YAML to JSON: yaml: ${reason}`);
  }
  const problem = shapeProblem(value);
  if (problem === 'size')
    throw badRequest(`${prefix}error converting YAML to JSON: yaml: document contains excessive aliasing`);
  if (problem === 'depth')
    throw badRequest(`${prefix}error converting YAML to JSON: yaml: exceeded max depth of ${maxNestingDepth}`);
  return value;
}

function yamlReason(err: YAMLException): string {
  const line = err.mark?.line;
  const reason = err.reason || err.message;
  return line === undefined ? reason : `line ${line + 1}: ${reason}`;
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

const versionKindStruct =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

const kindPrefix = "couldn't get version/kind; json parse error: ";

/**
 * A create/update body as an object with kind and apiVersion, defaulted from the endpoint when absent
 * (apiserver decodes into the endpoint's type, so built-in kinds need neither).
 */
export function decodeObjectBody(
  bytes: Uint8Array,
  contentTypeHeader: string | null,
  def: ResourceDef,
  subresource?: SubresourceDef,
): Record<string, unknown> {
  // kubectl >= 1.32 typed commands and helm 4 send protobuf; it decodes to the JSON object (kind included).
  if (isProtobufContentType(contentTypeHeader))
    return decodeKubernetesProtobuf(bytes).object as Record<string, unknown>;
  const mediaType = mediaTypeOf(contentTypeHeader) || 'application/json';
  if (!(objectMediaTypes as readonly string[]).includes(mediaType)) {
    throw unsupportedMediaType(mediaType, [...objectMediaTypes]);
  }
  const text = decodeText(bytes, kindPrefix);
  if (text.trim() === '') throw badRequest("Object 'Kind' is missing in ''");
  const value = mediaType === 'application/yaml' ? parseYaml(text, kindPrefix) : parseJson(text, kindPrefix);
  if (value === null) throw badRequest(`Object 'Kind' is missing in '${text.trim()}'`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(
      `${kindPrefix}json: cannot unmarshal ${jsonTypeName(value)} into Go value of type ${versionKindStruct}`,
    );
  }
  const object = value as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = object[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw badRequest(
        `${kindPrefix}json: cannot unmarshal ${jsonTypeName(v)} into Go struct field .${field} of type string`,
      );
    }
  }
  if (!object.kind) object.kind = subresource?.kind ?? def.kind;
  if (!object.apiVersion) {
    object.apiVersion =
      subresource?.group !== undefined
        ? groupVersion({ group: subresource.group, version: subresource.version ?? def.version })
        : groupVersion(def);
  }
  return object;
}

/** A PATCH body and its type, chosen by Content-Type as apiserver's patch handler does. */
export function decodePatchBody(
  bytes: Uint8Array,
  contentTypeHeader: string | null,
): { type: PatchType; patch: unknown } {
  const mediaType = mediaTypeOf(contentTypeHeader);
  const type = patchMediaTypes[mediaType];
  if (!type) throw unsupportedMediaType(mediaType, Object.keys(patchMediaTypes));
  const prefix = 'error decoding patch: ';
  const text = decodeText(bytes, prefix);
  const patch = type === 'apply' ? parseYaml(text, 'error decoding YAML: ') : parseJson(text, prefix);
  if (type === 'json' ? !Array.isArray(patch) : patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    const expected = type === 'json' ? 'a JSON array of operations' : 'an object';
    throw badRequest(`${prefix}the patch must be ${expected}, got ${jsonTypeName(patch)}`);
  }
  return { type, patch };
}

/** A DeleteOptions (or similar small options) body; empty is undefined. JSON or YAML. */
export function decodeOptionsBody(
  bytes: Uint8Array,
  contentTypeHeader: string | null,
): Record<string, unknown> | undefined {
  if (bytes.byteLength === 0) return undefined;
  // helm 4 deletes its release Secrets with a protobuf DeleteOptions body.
  if (isProtobufContentType(contentTypeHeader))
    return decodeKubernetesProtobuf(bytes).object as Record<string, unknown>;
  const mediaType = mediaTypeOf(contentTypeHeader) || 'application/json';
  if (!(objectMediaTypes as readonly string[]).includes(mediaType)) {
    throw unsupportedMediaType(mediaType, [...objectMediaTypes]);
  }
  const text = decodeText(bytes, kindPrefix);
  if (text.trim() === '') return undefined;
  const value = mediaType === 'application/yaml' ? parseYaml(text, kindPrefix) : parseJson(text, kindPrefix);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(
      `${kindPrefix}json: cannot unmarshal ${jsonTypeName(value)} into Go value of type ${versionKindStruct}`,
    );
  }
  return value as Record<string, unknown>;
}
