/**
 * Kubernetes protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`): the `k8s\0`
 * magic, then a runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding,
 * 4 contentType} whose raw bytes are the object's message from k8s.io/api. Decoded to the JSON object a
 * JSON client would have sent for the same Go value, so the rest of the request path is the JSON one.
 */
import { badRequest } from '../../status.ts';
import { protoMessage } from '../facts/proto-fields.ts';
import { type MessageDecoder, messageDecoder, setEmbeddedDecoder } from './compile-message.ts';
import { ProtoReader, ProtoWireError, wireLengthDelimited } from './proto-reader.ts';

export const kubernetesProtobufMediaType = 'application/vnd.kubernetes.protobuf';

/** True for `application/vnd.kubernetes.protobuf` with or without parameters. */
export function isProtobufContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  return (contentType.split(';')[0] ?? '').trim().toLowerCase() === kubernetesProtobufMediaType;
}

const magic = [0x6b, 0x38, 0x73, 0x00] as const;
const expectedPrefix = `[${magic.join(' ')}]`;
const metaPackage = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  object: unknown;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readEnvelope(body: Uint8Array): Envelope {
  const r = new ProtoReader(body, magic.length);
  const envelope: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '' };
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== wireLengthDelimited) r.skip(tag & 7);
    else if (field === 1) {
      const end = r.lengthEnd();
      while (r.pos < end) {
        const inner = r.uint32();
        if (inner === ((1 << 3) | wireLengthDelimited)) envelope.apiVersion = r.string();
        else if (inner === ((2 << 3) | wireLengthDelimited)) envelope.kind = r.string();
        else r.skip(inner & 7);
      }
      if (r.pos !== end) throw new ProtoWireError('typeMeta runs past its end');
    } else if (field === 2) envelope.raw = r.bytes();
    else if (field === 3) envelope.contentEncoding = r.string();
    else r.skip(wireLengthDelimited);
  }
  return envelope;
}

/**
 * The proto package of an API group: `apps` → k8s.io.api.apps, `rbac.authorization.k8s.io` →
 * k8s.io.api.rbac; core is `core`, and internal.apiserver.k8s.io is the one group named otherwise.
 */
function protoPackage(group: string, version: string): string {
  if (group === '') return `k8s.io.api.core.${version}`;
  if (group === 'meta.k8s.io') return `k8s.io.apimachinery.pkg.apis.meta.${version}`;
  if (group === 'internal.apiserver.k8s.io') return `k8s.io.api.apiserverinternal.${version}`;
  return `k8s.io.api.${group.split('.')[0]}.${version}`;
}

/**
 * The message of an envelope's kind. Options kinds (DeleteOptions, as helm sends on DELETE) are meta/v1
 * types registered into every group version, so an unknown kind falls back to meta/v1.
 */
export function protoMessageForKind(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const own = `${protoPackage(group, version)}.${kind}`;
  if (protoMessage(own)) return own;
  const fromMeta = `${metaPackage}.${kind}`;
  return protoMessage(fromMeta) ? fromMeta : undefined;
}

const decoders = new Map<string, MessageDecoder | undefined>();

/** The compiled decoder of a kind, looked up once per apiVersion and kind. */
function decoderForKind(apiVersion: string, kind: string): MessageDecoder | undefined {
  const key = `${apiVersion}/${kind}`;
  if (decoders.has(key)) return decoders.get(key);
  const name = protoMessageForKind(apiVersion, kind);
  const decoder = name ? messageDecoder(name) : undefined;
  // Only known kinds are kept, so bodies naming made-up kinds cannot grow the map.
  if (decoder) decoders.set(key, decoder);
  return decoder;
}

function decodeEnvelope(body: Uint8Array): DecodedProtobuf {
  if (body.length === 0) throw badRequest('empty body');
  if (body.length < magic.length || magic.some((b, i) => body[i] !== b)) {
    throw badRequest(`provided data does not appear to be a protobuf message, expected prefix ${expectedPrefix}`);
  }
  const envelope = readEnvelope(body);
  const { apiVersion, kind } = envelope;
  if (!kind) throw badRequest("Object 'Kind' is missing in protobuf body");
  if (!apiVersion) throw badRequest("Object 'apiVersion' is missing in protobuf body");
  if (envelope.contentEncoding) {
    throw badRequest(`protobuf body with contentEncoding "${envelope.contentEncoding}" is not supported`);
  }
  const decoder = decoderForKind(apiVersion, kind);
  if (!decoder) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in protobuf`);
  const raw = envelope.raw;
  const decoded = decoder.decode(new ProtoReader(raw), raw.length);
  // TypeMeta travels only in the envelope; a JSON client sends it first in the object.
  const object = { apiVersion, kind, ...(decoded as Record<string, unknown>) };
  return { apiVersion, kind, object };
}

/**
 * Decodes a `k8s\0` protobuf body into `{ apiVersion, kind, object }`, the object being the JSON a JSON
 * client would have sent (apiVersion and kind included). Malformed input is a 400 BadRequest.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): DecodedProtobuf {
  try {
    return decodeEnvelope(body);
  } catch (err) {
    if (err instanceof ProtoWireError) throw badRequest(`unable to decode protobuf body: ${err.message}`);
    if (err instanceof RangeError) throw badRequest('unable to decode protobuf body: nested too deeply');
    throw err;
  }
}

setEmbeddedDecoder((bytes) => decodeEnvelope(bytes).object);
