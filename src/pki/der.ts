/**
 * A minimal DER (ASN.1 Distinguished Encoding Rules) writer: just the types an X.509 certificate needs.
 * Hand-written so that certificates can carry EC keys and be signed with node:crypto (node-forge only
 * signs with RSA, and generating RSA keys costs most of the 1 s start-up budget).
 */

/** An encoded ASN.1 value (tag, length and contents). */
export type Der = Buffer;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Tag + length + contents. */
export function tlv(tag: number, contents: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), length(contents.length), contents]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const octetString = (contents: Buffer): Der => tlv(0x04, contents);
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0]));
/** A BIT STRING; `unusedBits` counts the padding bits at the end of the last byte (keyUsage flags). */
export const bitString = (contents: Buffer, unusedBits = 0): Der =>
  tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), contents]));
/** [n] EXPLICIT: wraps a complete value. */
export const explicit = (n: number, value: Der): Der => tlv(0xa0 | n, value);
/** [n] IMPLICIT primitive: replaces the tag of a primitive value (SAN dNSName, iPAddress, key ids). */
export const implicit = (n: number, contents: Buffer): Der => tlv(0x80 | n, contents);

/** A non-negative INTEGER from big-endian bytes (a leading zero is added when the top bit is set). */
export function unsignedInteger(bytes: Buffer): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const needsPad = ((trimmed[0] ?? 0) & 0x80) !== 0;
  return tlv(0x02, needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (n: number): Der => unsignedInteger(Buffer.from([n]));

export function objectIdentifier(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = parts;
  const bytes: number[] = [first * 40 + second];
  for (const part of rest) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/**
 * RFC 5280 §4.1.2.5: UTCTime for years 1950–2049, GeneralizedTime after, both to the second in UTC.
 */
export function time(date: Date): Der {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(digits, 'ascii'));
}
