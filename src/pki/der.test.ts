import { describe, expect, it } from 'vitest';
import { objectIdentifier, sequence, time, tlv, unsignedInteger } from './der.ts';

const hex = (b: Buffer) => b.toString('hex');

describe('der', () => {
  it('encodes object identifiers with base-128 arcs', () => {
    // 1.2.840.10045.4.3.2 (ecdsa-with-SHA256) is 06 08 2a 86 48 ce 3d 04 03 02 in every X.509 certificate.
    expect(hex(objectIdentifier('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
  });

  it('pads integers whose top bit is set and strips leading zeros', () => {
    expect(hex(unsignedInteger(Buffer.from([0x80])))).toBe('02020080');
    expect(hex(unsignedInteger(Buffer.from([0, 0, 0x7f])))).toBe('02017f');
  });

  it('uses long-form lengths above 127 bytes', () => {
    expect(hex(tlv(0x04, Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(tlv(0x04, Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
  });

  it('writes UTCTime before 2050 and GeneralizedTime from 2050', () => {
    expect(time(new Date('2026-01-02T03:04:05Z')).toString('latin1').slice(2)).toBe('260102030405Z');
    expect(time(new Date('2050-01-02T03:04:05Z'))[0]).toBe(0x18);
  });

  it('nests sequences', () => {
    expect(hex(sequence(sequence()))).toBe('30023000');
  });
});
