/**
 * For the schemas bench only: encodes a JSON object as the Kubernetes protobuf body a Go client would
 * send for it (`k8s\0` + runtime.Unknown around the k8s.io/api message), from our proto-fields table,
 * so that protobuf decoding is measured on the very Deployment the validation figures use. It covers
 * what that Deployment holds (strings, bools, non-negative integers, messages, maps, lists,
 * IntOrString, Quantity) and refuses anything else rather than guessing.
 */
import { type ProtoField, type ProtoMessage, protoMessage } from '../src/openapi/facts/proto-fields.ts';
import { ProtoWriter } from '../src/openapi/gnostic/proto-writer.ts';
import { protoMessageForKind } from '../src/openapi/protobuf/decode-kubernetes-protobuf.ts';

type Json = Record<string, unknown>;

const intOrString = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const quantity = 'k8s.io.apimachinery.pkg.api.resource.Quantity';

function message(name: string): ProtoMessage {
  const found = protoMessage(name);
  if (!found) throw new Error(`no message ${name} in the proto table`);
  return found;
}

/** One scalar or message value of `field` (a list element or a map value has the same type). */
function writeOne(w: ProtoWriter, number: number, type: string, value: unknown): void {
  if (type === 'string') w.string(number, String(value));
  else if (type === 'bool') w.bool(number, value === true);
  else if (type === 'int32' || type === 'int64') {
    if (typeof value !== 'number' || value < 0 || !Number.isInteger(value)) throw new Error(`int ${value}`);
    w.uint(number, value);
  } else if (type === intOrString) {
    w.message(number, (m) => {
      if (typeof value === 'number') m.uint(1, 0).uint(2, value);
      else m.uint(1, 1).string(3, String(value));
    });
  } else if (type === quantity) w.message(number, (m) => m.string(1, String(value)));
  else if (type.includes('.')) w.message(number, (m) => writeMessage(m, message(type), value as Json));
  else throw new Error(`the bench encoder does not write ${type}`);
}

function writeField(w: ProtoWriter, field: ProtoField, value: unknown): void {
  if (value === undefined || value === null) return;
  if (field.mapKey) {
    for (const [key, entry] of Object.entries(value as Json)) {
      w.message(field.number, (m) => {
        m.string(1, key);
        writeOne(m, 2, field.type, entry);
      });
    }
  } else if (field.isRepeated) {
    for (const item of value as unknown[]) writeOne(w, field.number, field.type, item);
  } else writeOne(w, field.number, field.type, value);
}

/** The JSON names a message's fields take in its JSON object, those of inline (embedded) ones included. */
function jsonNames(msg: ProtoMessage): string[] {
  return msg.fields.flatMap((f) => (f.isInline ? jsonNames(message(f.type)) : [f.jsonName]));
}

function writeMessage(w: ProtoWriter, msg: ProtoMessage, object: Json, isInline = false): void {
  for (const field of msg.fields) {
    // An embedded struct (Probe's handler): its fields sit in this JSON object, its message is nested.
    if (field.isInline) w.message(field.number, (m) => writeMessage(m, message(field.type), object, true));
    else writeField(w, field, object[field.jsonName]);
  }
  if (isInline) return;
  const known = new Set([...jsonNames(msg), 'apiVersion', 'kind']);
  const unknown = Object.keys(object).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`${msg.name} has no field ${unknown.join(', ')}`);
}

/** The `k8s\0` body of `object`, whose apiVersion and kind name its message. */
export function encodeKubernetesProtobuf(object: Json): Uint8Array {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const name = protoMessageForKind(apiVersion, kind);
  if (!name) throw new Error(`no message for ${apiVersion} ${kind}`);
  // runtime.Unknown {1 typeMeta, 2 raw}: raw's bytes are the message, so it is written as one.
  const unknown = new ProtoWriter()
    .message(1, (t) => t.string(1, apiVersion).string(2, kind))
    .message(2, (m) => writeMessage(m, message(name), object))
    .finish();
  const body = new Uint8Array(4 + unknown.length);
  body.set([0x6b, 0x38, 0x73, 0x00]);
  body.set(unknown, 4);
  return body;
}
