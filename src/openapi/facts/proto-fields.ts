/**
 * Protobuf wire facts of every built-in message (k8s.io/api and k8s.io/apimachinery), from our own
 * table `proto-fields.json`: field numbers and proto types as in the upstream generated.proto files, plus
 * what the Go struct tags say about each field (pointer, omitempty, inlined, JSON name), which the
 * .proto files cannot tell and the zero-value rule of protobuf bodies needs.
 *
 * Names: a proto message `k8s.io.api.apps.v1.DeploymentSpec` is the OpenAPI definition
 * `io.k8s.api.apps.v1.DeploymentSpec`; the two differ only in the first two labels.
 */
import table from './proto-fields.json' with { type: 'json' };

/** Scalar proto types found in the Kubernetes messages; anything else is a message full name. */
export type ProtoScalar = 'string' | 'bool' | 'int32' | 'int64' | 'bytes' | 'double' | 'float' | 'uint32' | 'uint64';

export interface ProtoField {
  /** Name in generated.proto (e.g. `uID`). */
  name: string;
  number: number;
  /** Scalar name or message full name (`k8s.io.api.core.v1.PodSpec`); for maps, the value type. */
  type: string;
  /** Set for `map<K, V>` fields: the key type (always a scalar). */
  mapKey?: string;
  isRepeated: boolean;
  /** The Go field is a pointer, so the marshaller writes it only when set and a zero value is meaningful. */
  isPointer: boolean;
  /** The Go JSON tag says omitempty: a JSON client omits a zero value. */
  omitEmpty: boolean;
  /** The Go JSON tag says omitzero (Go 1.24): a zero struct, such as an unset Time, is omitted. */
  omitZero: boolean;
  /** An embedded Go struct with an empty JSON name: its fields appear in the parent JSON object. */
  isInline: boolean;
  /** The JSON name (`uid` for proto `uID`); `-` means never in JSON. Empty when inline. */
  jsonName: string;
}

export interface ProtoMessage {
  /** Full proto name, e.g. `k8s.io.api.apps.v1.DeploymentSpec`. */
  name: string;
  /** OpenAPI definition name, e.g. `io.k8s.api.apps.v1.DeploymentSpec`. */
  definition: string;
  fields: ProtoField[];
  /**
   * A Go named slice (`type ExtraValue []string`) the generator wrapped in a message with one
   * `repeated items = 1`; in JSON it is the bare array.
   */
  isListWrapper: boolean;
}

type FieldTuple = [string, number, string | [string, string], number, string?];
interface ProtoTable {
  source: Record<string, string>;
  wrappers: string[];
  messages: Record<string, FieldTuple[]>;
}

const flagRepeated = 1;
const flagPointer = 2;
const flagOmitEmpty = 4;
const flagInline = 8;
const flagOmitZero = 16;

// The JSON is our generated table (its shape is checked by proto-fields.test.ts); the cast states that shape.
const data = table as unknown as ProtoTable;
const wrappers = new Set(data.wrappers);

function toField(t: FieldTuple): ProtoField {
  const [name, number, type, flags, jsonName] = t;
  const isInline = (flags & flagInline) !== 0;
  const field: ProtoField = {
    name,
    number,
    type: typeof type === 'string' ? type : type[1],
    isRepeated: (flags & flagRepeated) !== 0,
    isPointer: (flags & flagPointer) !== 0,
    omitEmpty: (flags & flagOmitEmpty) !== 0,
    omitZero: (flags & flagOmitZero) !== 0,
    isInline,
    jsonName: isInline ? '' : (jsonName ?? name),
  };
  if (typeof type !== 'string') field.mapKey = type[0];
  return field;
}

/** `k8s.io.api.apps.v1.X` → `io.k8s.api.apps.v1.X`. */
export function definitionName(protoName: string): string {
  return protoName.startsWith('k8s.io.') ? `io.k8s.${protoName.slice('k8s.io.'.length)}` : protoName;
}

/** `io.k8s.api.apps.v1.X` → `k8s.io.api.apps.v1.X`. */
export function protoMessageName(definition: string): string {
  return definition.startsWith('io.k8s.') ? `k8s.io.${definition.slice('io.k8s.'.length)}` : definition;
}

const cache = new Map<string, ProtoMessage>();

/** The message with this full proto name, or undefined if the table has none. */
export function protoMessage(name: string): ProtoMessage | undefined {
  const hit = cache.get(name);
  if (hit) return hit;
  const tuples = data.messages[name];
  if (!tuples) return undefined;
  const message: ProtoMessage = {
    name,
    definition: definitionName(name),
    fields: tuples.map(toField),
    isListWrapper: wrappers.has(name),
  };
  cache.set(name, message);
  return message;
}

/** The message behind an OpenAPI definition name such as `io.k8s.api.apps.v1.DeploymentSpec`. */
export function messageByDefinition(definition: string): ProtoMessage | undefined {
  return protoMessage(protoMessageName(definition));
}

let byShortName: Map<string, string[]> | undefined;

/**
 * Every definition whose last label is `shortName`, e.g. `DeploymentSpec` →
 * `['io.k8s.api.apps.v1.DeploymentSpec', 'io.k8s.api.apps.v1beta1.DeploymentSpec', ...]`, sorted.
 * client-node model names (`V1DeploymentSpec`) keep the version but lose the group, so a caller
 * picks among these by version.
 */
export function definitionsByShortName(shortName: string): string[] {
  if (!byShortName) {
    byShortName = new Map();
    for (const name of Object.keys(data.messages).sort()) {
      const short = name.slice(name.lastIndexOf('.') + 1);
      const list = byShortName.get(short) ?? [];
      list.push(definitionName(name));
      byShortName.set(short, list);
    }
  }
  return [...(byShortName.get(shortName) ?? [])];
}

/** Every message full name in the table. */
export function protoMessageNames(): string[] {
  return Object.keys(data.messages);
}

/** The upstream commits the table was read from. */
export const protoFieldsSource: Readonly<Record<string, string>> = data.source;
