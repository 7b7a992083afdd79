import { describe, expect, it } from 'vitest';
import { messageDecoder } from './compile-message.ts';
import { ProtoReader } from './proto-reader.ts';
import { goDurationString } from './well-known.ts';

/** Test-only protobuf writer: just enough to build messages field by field. */
const varint = (value: bigint): number[] => {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
};
const tag = (field: number, wireType: number) => varint(BigInt((field << 3) | wireType));
const int = (field: number, value: number | bigint) => [...tag(field, 0), ...varint(BigInt(value))];
const bytes = (field: number, content: number[] | Uint8Array) => [
  ...tag(field, 2),
  ...varint(BigInt(content.length)),
  ...content,
];
const str = (field: number, text: string) => bytes(field, new TextEncoder().encode(text));

function decode(message: string, content: number[]): unknown {
  const decoder = messageDecoder(message);
  if (!decoder) throw new Error(`no decoder for ${message}`);
  return decoder.decode(new ProtoReader(new Uint8Array(content)), content.length);
}

const core = 'k8s.io.api.core.v1';
const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1';

describe('compiled message decoders', () => {
  it('drops zeros of non-pointer omitempty scalars and keeps pointer zeros', () => {
    // DeploymentSpec: replicas (pointer) 0, minReadySeconds (omitempty) 0, paused false
    expect(decode('k8s.io.api.apps.v1.DeploymentSpec', [...int(1, 0), ...int(5, 0), ...int(7, 0)])).toEqual({
      replicas: 0,
    });
  });

  it('keeps zeros Go JSON prints for fields without omitempty', () => {
    // ContainerPort: name "" (omitempty), containerPort 0 (no omitempty)
    expect(decode(`${core}.ContainerPort`, [...str(1, ''), ...int(3, 0)])).toEqual({ containerPort: 0 });
  });

  it('reads negative int32 and int64 beyond 2^53 like JSON.parse reads their digits', () => {
    // ObjectMeta.generation (int64), deletionGracePeriodSeconds (pointer int64)
    const big = 2n ** 60n + 1n;
    expect(decode(`${meta}.ObjectMeta`, [...int(7, big), ...int(10, -5n)])).toEqual({
      generation: JSON.parse(big.toString()),
      deletionGracePeriodSeconds: -5,
    });
    // PodSpec.priority is a pointer int32: sign-extended to 10 bytes on the wire
    expect(decode(`${core}.PodSpec`, int(25, -7))).toEqual({ priority: -7 });
  });

  it('formats Time, MicroTime, Duration, Quantity and IntOrString as their JSON', () => {
    expect(decode(`${meta}.ObjectMeta`, bytes(8, [...int(1, 1714557600), ...int(2, 5)]))).toEqual({
      creationTimestamp: '2024-05-01T10:00:00Z',
    });
    expect(
      decode('k8s.io.api.coordination.v1.LeaseSpec', bytes(3, [...int(1, 1714557600), ...int(2, 123456789)])),
    ).toEqual({ acquireTime: '2024-05-01T10:00:00.123456Z' });
    expect(decode(`${core}.ResourceRequirements`, bytes(1, [...str(1, 'cpu'), ...bytes(2, str(1, '500m'))]))).toEqual({
      limits: { cpu: '500m' },
    });
    expect(decode(`${core}.ServicePort`, bytes(4, [...int(1, 1), ...str(3, 'http')]))).toEqual({ targetPort: 'http' });
    expect(decode(`${core}.ServicePort`, bytes(4, [...int(1, 0), ...int(2, 8080)]))).toEqual({ targetPort: 8080 });
  });

  it('writes Go duration strings', () => {
    expect(goDurationString(0n)).toBe('0s');
    expect(goDurationString(1500n)).toBe('1.5µs');
    expect(goDurationString(1_500_000n)).toBe('1.5ms');
    expect(goDurationString(3_723_500_000_000n)).toBe('1h2m3.5s');
    expect(goDurationString(-90_000_000_000n)).toBe('-1m30s');
    expect(goDurationString(3_600_000_000_000n)).toBe('1h0m0s');
  });

  it('base64-encodes bytes and map<string, bytes>, and parses RawExtension JSON', () => {
    const secret = decode(`${core}.Secret`, bytes(2, [...str(1, 'k'), ...bytes(2, [0, 255, 1])]));
    expect(secret).toEqual({ data: { k: 'AP8B' } });
    const revision = decode(
      'k8s.io.api.apps.v1.ControllerRevision',
      bytes(2, bytes(1, [...new TextEncoder().encode('{"a":[1]}')])),
    );
    expect(revision).toEqual({ data: { a: [1] } });
  });

  it('inlines embedded structs into the parent object (Volume.volumeSource, Probe.handler)', () => {
    const volume = decode(`${core}.Volume`, [...str(1, 'v'), ...bytes(2, bytes(2, []))]);
    expect(volume).toEqual({ name: 'v', emptyDir: {} });
    const probe = decode(`${core}.Probe`, [...bytes(1, bytes(1, str(1, 'true'))), ...int(2, 0)]);
    expect(probe).toEqual({ exec: { command: ['true'] } });
  });

  it('uses JSON names where the proto name differs and unwraps named slices', () => {
    expect(decode('k8s.io.api.authentication.v1.BoundObjectReference', str(4, 'abc'))).toEqual({ uid: 'abc' });
    const extra = bytes(4, [...str(1, 'scopes'), ...bytes(2, [...str(1, 'a'), ...str(1, 'b')])]);
    expect(decode('k8s.io.api.authentication.v1.UserInfo', extra)).toEqual({ extra: { scopes: ['a', 'b'] } });
  });

  it('accepts packed repeated numbers as well as one tag per element', () => {
    // PodSecurityContext.supplementalGroups (repeated int64)
    expect(decode(`${core}.PodSecurityContext`, [...int(4, 1), ...int(4, 2)])).toEqual({ supplementalGroups: [1, 2] });
    expect(decode(`${core}.PodSecurityContext`, bytes(4, [1, 2, 3]))).toEqual({ supplementalGroups: [1, 2, 3] });
  });

  it('skips unknown fields and rejects a wrong wire type', () => {
    expect(decode(`${core}.ContainerPort`, [...int(99, 7), ...int(3, 80)])).toEqual({ containerPort: 80 });
    expect(() => decode(`${core}.ContainerPort`, str(3, 'x'))).toThrow(/wrong wireType/);
  });
});
