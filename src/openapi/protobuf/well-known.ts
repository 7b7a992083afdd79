/**
 * apimachinery types whose JSON form is not their protobuf shape: each decoder reads the message
 * body [r.pos, end) and returns what Go's JSON marshaller writes for the same value.
 */
import { type ProtoReader, ProtoWireError, wireLengthDelimited, wireVarint } from './proto-reader.ts';

/** Reads the body of a message; `embedded` decodes a nested Kubernetes protobuf envelope (RawExtension). */
export type SpecialDecoder = (r: ProtoReader, end: number, embedded: (bytes: Uint8Array) => unknown) => unknown;

const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1';

function readTimestamp(r: ProtoReader, end: number): { seconds: number; nanos: number } {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | wireVarint)) seconds = r.int64();
    else if (tag === ((2 << 3) | wireVarint)) nanos = r.int32();
    else r.skip(tag & 7);
  }
  return { seconds, nanos };
}

/** `2024-05-01T10:00:00` for a unix time in seconds; years outside 0..9999 are not RFC 3339. */
function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new ProtoWireError(`Time.MarshalJSON: year outside of range [0,9999]`);
  }
  return date.toISOString().slice(0, 19);
}

/**
 * metav1.Time: whole seconds (its JSON never carried nanos, and apimachinery's proto Unmarshal drops
 * them too). An empty message is the zero time, which marshals as null.
 */
const time: SpecialDecoder = (r, end) => {
  if (r.pos === end) return null;
  return `${isoSeconds(readTimestamp(r, end).seconds)}Z`;
};

/** metav1.MicroTime: RFC 3339 with exactly 6 fraction digits. */
const microTime: SpecialDecoder = (r, end) => {
  if (r.pos === end) return null;
  const { seconds, nanos } = readTimestamp(r, end);
  return `${isoSeconds(seconds)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
};

/** metav1.Duration: Go's time.Duration.String() of the nanoseconds, e.g. `1h2m3.5s`, `1.5ms`, `0s`. */
const duration: SpecialDecoder = (r, end) => {
  let nanoseconds = 0n;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | wireVarint)) nanoseconds = r.bigInt64();
    else r.skip(tag & 7);
  }
  return goDurationString(nanoseconds);
};

/** Digits of `value / 10^precision` with the fraction's trailing zeros (and a bare dot) dropped. */
function withFraction(value: bigint, precision: number): string {
  const scale = 10n ** BigInt(precision);
  const fraction = (value % scale).toString().padStart(precision, '0').replace(/0+$/, '');
  return fraction ? `${value / scale}.${fraction}` : `${value / scale}`;
}

export function goDurationString(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const u = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1000000n) return `${sign}${withFraction(u, 3)}µs`;
  if (u < 1000000000n) return `${sign}${withFraction(u, 6)}ms`;
  const totalSeconds = u / 1000000000n;
  const seconds = `${withFraction(u % 60000000000n, 9)}s`;
  const minutes = (totalSeconds / 60n) % 60n;
  const hours = totalSeconds / 3600n;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** Reads field 1 as length-delimited bytes, or undefined when absent. */
function readBytesField(r: ProtoReader, end: number): Uint8Array | undefined {
  let bytes: Uint8Array | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | wireLengthDelimited)) bytes = r.bytes();
    else r.skip(tag & 7);
  }
  return bytes;
}

/** resource.Quantity: its canonical string; the zero Quantity marshals as "0". */
const quantity: SpecialDecoder = (r, end) => {
  let text = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | wireLengthDelimited)) text = r.string();
    else r.skip(tag & 7);
  }
  return text || '0';
};

/** intstr.IntOrString: type 1 is the string, anything else the int. */
const intOrString: SpecialDecoder = (r, end) => {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | wireVarint)) type = r.int64();
    else if (tag === ((2 << 3) | wireVarint)) intVal = r.int32();
    else if (tag === ((3 << 3) | wireLengthDelimited)) strVal = r.string();
    else r.skip(tag & 7);
  }
  return type === 1 ? strVal : intVal;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const kubernetesMagic = [0x6b, 0x38, 0x73, 0x00] as const;

/** Raw JSON inside a protobuf message (RawExtension, FieldsV1); empty is null as in Go. */
function parseRawJson(bytes: Uint8Array | undefined, what: string): unknown {
  if (!bytes || bytes.length === 0) return null;
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new ProtoWireError(`${what} does not hold valid JSON`);
  }
}

/** runtime.RawExtension: its raw bytes are usually JSON; a nested protobuf object is decoded too. */
const rawExtension: SpecialDecoder = (r, end, embedded) => {
  const raw = readBytesField(r, end);
  if (raw && raw.length >= 4 && kubernetesMagic.every((b, i) => raw[i] === b)) return embedded(raw);
  return parseRawJson(raw, 'RawExtension');
};

const fieldsV1: SpecialDecoder = (r, end) => parseRawJson(readBytesField(r, end), 'FieldsV1');

/** Message full name → decoder of its JSON form. */
export const specialDecoders: ReadonlyMap<string, SpecialDecoder> = new Map([
  [`${meta}.Time`, time],
  [`${meta}.MicroTime`, microTime],
  [`${meta}.Duration`, duration],
  [`${meta}.FieldsV1`, fieldsV1],
  ['k8s.io.apimachinery.pkg.api.resource.Quantity', quantity],
  ['k8s.io.apimachinery.pkg.api.resource.QuantityValue', quantity],
  ['k8s.io.apimachinery.pkg.util.intstr.IntOrString', intOrString],
  ['k8s.io.apimachinery.pkg.runtime.RawExtension', rawExtension],
]);
