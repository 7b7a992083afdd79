/**
 * Compiles a protobuf message of the fact table into a decoder that produces the JSON object Go's JSON
 * marshaller would write for the same Go struct. Compiled once per message: a handler per field number,
 * each a closure that already knows its JSON name, value reader and zero-value rule.
 *
 * The zero-value rule (Appendix B of the API contract): the Go marshaller writes every non-pointer scalar,
 * set or not. A JSON client omits such a zero only when the Go field is `omitempty`, so we drop zeros of
 * non-pointer omitempty scalars, keep zeros of pointers (`spec.replicas: 0` means zero replicas) and keep
 * zeros that Go's JSON would print (fields without omitempty, such as `containerPort`). An `omitzero` struct
 * (metadata.creationTimestamp since 1.35) that is zero is dropped, as Go's JSON drops it.
 */
import { type ProtoField, type ProtoMessage, protoMessage } from '../facts/proto-fields.ts';
import {
  ProtoReader,
  ProtoWireError,
  wireFixed32,
  wireFixed64,
  wireLengthDelimited,
  wireVarint,
} from './proto-reader.ts';
import { type SpecialDecoder, specialDecoders } from './well-known.ts';

type JsonObject = Record<string, unknown>;
/** Reads one value whose tag has just been consumed. */
type ValueReader = (r: ProtoReader) => unknown;
type FieldHandler = (r: ProtoReader, target: JsonObject, wireType: number) => void;

/** A compiled message: decodes [r.pos, end) into the JSON value of that message. */
export interface MessageDecoder {
  readonly name: string;
  decode(r: ProtoReader, end: number): unknown;
}

interface ScalarKind {
  wireType: number;
  read: ValueReader;
}

const scalars: Readonly<Record<string, ScalarKind>> = {
  string: { wireType: wireLengthDelimited, read: (r) => r.string() },
  bytes: { wireType: wireLengthDelimited, read: (r) => base64(r.bytes()) },
  bool: { wireType: wireVarint, read: (r) => r.bool() },
  int32: { wireType: wireVarint, read: (r) => r.int32() },
  uint32: { wireType: wireVarint, read: (r) => r.uint32() },
  int64: { wireType: wireVarint, read: (r) => r.int64() },
  uint64: { wireType: wireVarint, read: (r) => r.int64(false) },
  double: { wireType: wireFixed64, read: (r) => r.double() },
  float: { wireType: wireFixed32, read: (r) => r.float() },
};

/** Go's JSON writes []byte as standard base64. */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The list already collected under `key`, created on the first element (no closure: this is per element). */
function listOf(target: JsonObject, key: string): unknown[] {
  const existing = target[key];
  if (existing !== undefined) return existing as unknown[];
  const fresh: unknown[] = [];
  target[key] = fresh;
  return fresh;
}

function mapOf(target: JsonObject, key: string): JsonObject {
  const existing = target[key];
  if (existing !== undefined) return existing as JsonObject;
  const fresh: JsonObject = {};
  target[key] = fresh;
  return fresh;
}

const isZeroScalar = (v: unknown): boolean => v === '' || v === 0 || v === false;

/** An object body decoder that merges into `target` (inline structs share their parent's object). */
interface CompiledMessage extends MessageDecoder {
  decodeInto(r: ProtoReader, end: number, target: JsonObject): void;
}

const compiled = new Map<string, CompiledMessage>();

/** The decoder for a message full name such as `k8s.io.api.apps.v1.Deployment`; undefined if unknown. */
export function messageDecoder(name: string): MessageDecoder | undefined {
  return compiledMessage(name);
}

/** Set by the envelope decoder, so RawExtension can decode a nested `k8s\0` object without an import cycle. */
let embeddedDecoder: (bytes: Uint8Array) => unknown = () => {
  throw new ProtoWireError('nested protobuf objects are not supported here');
};
export function setEmbeddedDecoder(decode: (bytes: Uint8Array) => unknown): void {
  embeddedDecoder = decode;
}

function compiledMessage(name: string): CompiledMessage | undefined {
  const hit = compiled.get(name);
  if (hit) return hit;
  const special = specialDecoders.get(name);
  if (special) return remember(name, specialMessage(name, special));
  const message = protoMessage(name);
  if (!message) return undefined;
  // Registered before its fields compile, so recursive message types resolve to this entry.
  const handlers: (FieldHandler | undefined)[] = [];
  const result = remember(name, objectMessage(message, handlers));
  for (const field of message.fields) {
    if (field.jsonName === '-') continue;
    handlers[field.number] = fieldHandler(message, field);
  }
  return result;
}

function remember(name: string, decoder: CompiledMessage): CompiledMessage {
  compiled.set(name, decoder);
  return decoder;
}

function specialMessage(name: string, decodeSpecial: SpecialDecoder): CompiledMessage {
  const decode = (r: ProtoReader, end: number): unknown => {
    const value = decodeSpecial(r, end, embeddedDecoder);
    if (r.pos !== end) throw new ProtoWireError(`${name}: field runs past the end of its message`);
    return value;
  };
  return {
    name,
    decode,
    decodeInto() {
      throw new ProtoWireError(`${name} cannot be inlined`);
    },
  };
}

function objectMessage(message: ProtoMessage, handlers: (FieldHandler | undefined)[]): CompiledMessage {
  const decodeInto = (r: ProtoReader, end: number, target: JsonObject): void => {
    while (r.pos < end) {
      const tag = r.uint32();
      const handler = handlers[tag >>> 3];
      if (handler === undefined) r.skip(tag & 7);
      else handler(r, target, tag & 7);
    }
    if (r.pos !== end) throw new ProtoWireError(`${message.name}: field runs past the end of its message`);
  };
  if (message.isListWrapper) {
    // `type ExtraValue []string`: the JSON value is the items array itself.
    return {
      name: message.name,
      decode(r, end) {
        const holder: JsonObject = {};
        decodeInto(r, end, holder);
        return holder.items ?? [];
      },
      decodeInto,
    };
  }
  return {
    name: message.name,
    decode(r, end) {
      const target: JsonObject = {};
      decodeInto(r, end, target);
      return target;
    },
    decodeInto,
  };
}

/** Reads a length-delimited sub-message with the decoder compiled for `type` (resolved on first use). */
function messageReader(type: string): ValueReader {
  let decoder: CompiledMessage | undefined;
  return (r) => {
    decoder ??= compiledMessage(type);
    if (!decoder) throw new ProtoWireError(`no protobuf message ${type}`);
    const end = r.lengthEnd();
    return decoder.decode(r, end);
  };
}

function valueKind(type: string): ScalarKind {
  return scalars[type] ?? { wireType: wireLengthDelimited, read: messageReader(type) };
}

function wrongWireType(message: ProtoMessage, field: ProtoField, wireType: number): ProtoWireError {
  return new ProtoWireError(`${message.name}.${field.name}: wrong wireType = ${wireType}`);
}

function fieldHandler(message: ProtoMessage, field: ProtoField): FieldHandler {
  const key = field.jsonName;
  if (field.mapKey !== undefined) return mapHandler(message, field);
  if (field.isInline) {
    return (r, target, wireType) => {
      if (wireType !== wireLengthDelimited) throw wrongWireType(message, field, wireType);
      const child = compiledMessage(field.type);
      if (!child) throw new ProtoWireError(`no protobuf message ${field.type}`);
      child.decodeInto(r, r.lengthEnd(), target);
    };
  }
  const { wireType: expected, read } = valueKind(field.type);
  const isScalar = field.type in scalars;
  if (field.isRepeated) {
    // proto2 repeated numbers arrive one tag per element, but a packed run is accepted as well.
    const isPackable = isScalar && expected !== wireLengthDelimited;
    return (r, target, wireType) => {
      const list = listOf(target, key);
      if (wireType === expected) list.push(read(r));
      else if (isPackable && wireType === wireLengthDelimited) {
        const end = r.lengthEnd();
        while (r.pos < end) list.push(read(r));
        if (r.pos !== end) throw wrongWireType(message, field, wireType);
      } else throw wrongWireType(message, field, wireType);
    };
  }
  const dropsZero = isScalar && field.omitEmpty && !field.isPointer;
  // Strings are most fields of most objects: read them without the value-reader indirection.
  if (field.type === 'string') {
    return (r, target, wireType) => {
      if (wireType !== wireLengthDelimited) throw wrongWireType(message, field, wireType);
      const value = r.string();
      if (!dropsZero || value !== '') target[key] = value;
    };
  }
  if (dropsZero) {
    return (r, target, wireType) => {
      if (wireType !== expected) throw wrongWireType(message, field, wireType);
      const value = read(r);
      if (!isZeroScalar(value)) target[key] = value;
    };
  }
  if (field.omitZero && !isScalar) {
    return (r, target, wireType) => {
      if (wireType !== expected) throw wrongWireType(message, field, wireType);
      const value = read(r);
      if (!isZeroMessage(value)) target[key] = value;
    };
  }
  return (r, target, wireType) => {
    if (wireType !== expected) throw wrongWireType(message, field, wireType);
    target[key] = read(r);
  };
}

/** The JSON of a zero struct: null (Time, MicroTime) or an object without fields. */
function isZeroMessage(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  for (const _ in value) return false;
  return true;
}

/** map<K, V>: repeated entries {1 key, 2 value}; a missing key or value is its type's zero. */
function mapHandler(message: ProtoMessage, field: ProtoField): FieldHandler {
  const key = field.jsonName;
  const keyKind = valueKind(field.mapKey ?? 'string');
  const valueKindOf = valueKind(field.type);
  const keyTag = (1 << 3) | keyKind.wireType;
  const valueTag = (2 << 3) | valueKindOf.wireType;
  const keyZero = field.mapKey === 'string' || field.mapKey === undefined ? '' : '0';
  let valueZero: (() => unknown) | undefined;
  const zeroOfValue = (): unknown => {
    valueZero ??= zeroValue(field.type);
    return valueZero();
  };
  if (field.mapKey === 'string' && field.type === 'string') return stringMapHandler(message, field);
  return (r, target, wireType) => {
    if (wireType !== wireLengthDelimited) throw wrongWireType(message, field, wireType);
    const end = r.lengthEnd();
    let entryKey: unknown = keyZero;
    let entryValue: unknown;
    let hasValue = false;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === keyTag) entryKey = keyKind.read(r);
      else if (tag === valueTag) {
        entryValue = valueKindOf.read(r);
        hasValue = true;
      } else r.skip(tag & 7);
    }
    if (r.pos !== end) throw wrongWireType(message, field, wireType);
    const map = mapOf(target, key);
    map[String(entryKey)] = hasValue ? entryValue : zeroOfValue();
  };
}

const stringKeyTag = (1 << 3) | wireLengthDelimited;
const stringValueTag = (2 << 3) | wireLengthDelimited;

/** map<string, string> (labels, annotations, selectors): the common case, read without indirection. */
function stringMapHandler(message: ProtoMessage, field: ProtoField): FieldHandler {
  const key = field.jsonName;
  return (r, target, wireType) => {
    if (wireType !== wireLengthDelimited) throw wrongWireType(message, field, wireType);
    const end = r.lengthEnd();
    let entryKey = '';
    let entryValue = '';
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === stringKeyTag) entryKey = r.string();
      else if (tag === stringValueTag) entryValue = r.string();
      else r.skip(tag & 7);
    }
    if (r.pos !== end) throw wrongWireType(message, field, wireType);
    mapOf(target, key)[entryKey] = entryValue;
  };
}

/** The JSON of a type's zero value: '' / 0 / false for scalars, the decoded empty message otherwise. */
function zeroValue(type: string): () => unknown {
  const scalar = scalars[type];
  if (scalar) {
    const zero = type === 'string' || type === 'bytes' ? '' : type === 'bool' ? false : 0;
    return () => zero;
  }
  return () => {
    const decoder = compiledMessage(type);
    if (!decoder) throw new ProtoWireError(`no protobuf message ${type}`);
    return decoder.decode(new ProtoReader(new Uint8Array(0)), 0);
  };
}
