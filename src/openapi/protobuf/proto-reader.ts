/**
 * A minimal protobuf wire reader: varints, fixed 32/64-bit values and length-delimited slices over one
 * Uint8Array. Every read checks bounds and throws `ProtoWireError`, which the decoder turns into a 400.
 */

export class ProtoWireError extends Error {
  override name = 'ProtoWireError';
}

export const wireVarint = 0;
export const wireFixed64 = 1;
export const wireLengthDelimited = 2;
export const wireStartGroup = 3;
export const wireEndGroup = 4;
export const wireFixed32 = 5;

const twoTo32 = 4294967296;
const ascii = new TextDecoder('utf-8');

export class ProtoReader {
  pos: number;
  private view: DataView | undefined;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** The low 32 bits of a varint, as an unsigned number; consumes all of its (up to 10) bytes. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 32; shift += 7) {
      if (pos >= this.end) throw new ProtoWireError('unexpected end of varint');
      const b = buf[pos++] as number;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    // Bits above 32 do not change the low word; skip the rest of a 64-bit varint.
    for (let i = 0; i < 5; i++) {
      if (pos >= this.end) throw new ProtoWireError('unexpected end of varint');
      if ((buf[pos++] as number) < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    throw new ProtoWireError('varint longer than 10 bytes');
  }

  /** proto int32: the low word as a signed number (negative values arrive sign-extended to 10 bytes). */
  int32(): number {
    return this.uint32() | 0;
  }

  /** Set by readVarint64: the low and high 32-bit words of the last 64-bit varint. */
  private lo = 0;
  private hi = 0;

  private readVarint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let i = 0; i < 4; i++) {
      if (pos >= this.end) throw new ProtoWireError('unexpected end of varint');
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo;
        this.hi = 0;
        return;
      }
    }
    // The 5th byte carries bits 28..31 of the low word and 0..2 of the high word.
    if (pos >= this.end) throw new ProtoWireError('unexpected end of varint');
    b = buf[pos++] as number;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    for (let i = 0; b >= 0x80; i++) {
      if (i === 5) throw new ProtoWireError('varint longer than 10 bytes');
      if (pos >= this.end) throw new ProtoWireError('unexpected end of varint');
      b = buf[pos++] as number;
      hi |= (b & 0x7f) << (i * 7 + 3);
    }
    this.pos = pos;
    this.lo = lo;
    this.hi = hi;
  }

  /**
   * A 64-bit varint as a number. Values past 2^53 round to the nearest double, exactly as
   * JSON.parse rounds the same digits from a JSON client, so both paths give the same object.
   */
  int64(isSigned = true): number {
    this.readVarint64();
    return (isSigned ? this.hi | 0 : this.hi >>> 0) * twoTo32 + (this.lo >>> 0);
  }

  /** A signed 64-bit varint without rounding, for values formatted as text (durations). */
  bigInt64(): bigint {
    this.readVarint64();
    return BigInt.asIntN(64, (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0));
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  private dataView(): DataView {
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view;
  }

  double(): number {
    this.need(8);
    const v = this.dataView().getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    this.need(4);
    const v = this.dataView().getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtoWireError('unexpected end of message');
  }

  /** Reads a length prefix and returns the end offset of the value that follows (pos is at its start). */
  lengthEnd(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.end) throw new ProtoWireError('length-delimited field runs past the end of its message');
    return end;
  }

  bytes(): Uint8Array {
    const end = this.lengthEnd();
    const slice = this.buf.subarray(this.pos, end);
    this.pos = end;
    return slice;
  }

  string(): string {
    const end = this.lengthEnd();
    const buf = this.buf;
    const start = this.pos;
    this.pos = end;
    // Short ASCII strings (names, labels, enum values) are the common case; skip the decoder call.
    if (end - start < 48) {
      let s = '';
      for (let i = start; i < end; i++) {
        const c = buf[i] as number;
        if (c >= 0x80) return ascii.decode(buf.subarray(start, end));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return ascii.decode(buf.subarray(start, end));
  }

  /** Skips one value of the given wire type (unknown fields are ignored, as gogo's skipGenerated does). */
  skip(wireType: number): void {
    switch (wireType) {
      case wireVarint:
        this.int64();
        return;
      case wireFixed64:
        this.need(8);
        this.pos += 8;
        return;
      case wireLengthDelimited:
        this.pos = this.lengthEnd();
        return;
      case wireFixed32:
        this.need(4);
        this.pos += 4;
        return;
      case wireStartGroup:
        this.skipGroup();
        return;
      default:
        throw new ProtoWireError(`illegal wireType ${wireType}`);
    }
  }

  private skipGroup(): void {
    for (;;) {
      if (this.pos >= this.end) throw new ProtoWireError('unexpected end of group');
      const tag = this.uint32();
      const wireType = tag & 7;
      if (wireType === wireEndGroup) return;
      this.skip(wireType);
    }
  }
}
