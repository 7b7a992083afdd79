/**
 * A small protobuf wire writer: varints, strings, bools, doubles and nested messages. A nested message
 * is written by a callback into a child writer, then length-prefixed into the parent — simple, and
 * the OpenAPI v2 document (a few MB) is encoded once per process.
 */
const utf8 = new TextEncoder();

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private size = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.chunks.push(Uint8Array.from(this.scratch));
    this.size += this.scratch.length;
    this.scratch = [];
  }

  private varint(value: number): void {
    let v = value;
    while (v > 0x7f) {
      this.scratch.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.scratch.push(v);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private lengthDelimited(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.varint(bytes.length);
    this.flushScratch();
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  /** A string field; empty strings are proto3 defaults and left out. */
  string(field: number, value: string | undefined): this {
    if (value) this.lengthDelimited(field, utf8.encode(value));
    return this;
  }

  /** Every element as its own entry, as repeated string fields are written. */
  strings(field: number, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.lengthDelimited(field, utf8.encode(value));
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (value) {
      this.tag(field, 0);
      this.varint(1);
    }
    return this;
  }

  /** A non-negative integer field (int64 lengths and counts). */
  uint(field: number, value: number | undefined): this {
    if (value) {
      this.tag(field, 0);
      this.varint(value);
    }
    return this;
  }

  double(field: number, value: number | undefined): this {
    if (value === undefined) return this;
    this.tag(field, 1);
    this.flushScratch();
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.chunks.push(bytes);
    this.size += 8;
    return this;
  }

  /** A nested message, written by `write` (an empty message is still written: presence matters in oneofs). */
  message(field: number, write: (writer: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    this.lengthDelimited(field, child.finish());
    return this;
  }

  finish(): Uint8Array {
    this.flushScratch();
    if (this.chunks.length === 1 && this.chunks[0]) return this.chunks[0];
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    this.chunks = [out];
    return out;
  }
}
