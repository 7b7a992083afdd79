/**
 * Reads named entries out of a .zip with node:zlib, via the central directory (APPNOTE.TXT §4.3.12),
 * because `unzip` is not installed everywhere the tests run.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const endOfCentralDirectory = 0x06054b50;
const centralEntry = 0x02014b50;
const localHeader = 0x04034b50;

/** The contents of each wanted entry (by its path inside the zip); throws if one is missing. */
export function readZipEntries(zipPath: string, wanted: readonly string[]): Map<string, Buffer> {
  const zip = readFileSync(zipPath);
  // The end record is 22 bytes plus a comment of at most 65535: search backwards for its signature.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === endOfCentralDirectory) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${zipPath}: not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (offset === 0xffffffff) throw new Error(`${zipPath}: zip64 archives are not supported`);

  const found = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== centralEntry) throw new Error(`${zipPath}: corrupt central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (!wanted.includes(name)) continue;
    if (zip.readUInt32LE(localOffset) !== localHeader) throw new Error(`${zipPath}: corrupt entry ${name}`);
    // The local header's name and extra lengths may differ from the central directory's.
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) found.set(name, Buffer.from(data));
    else if (method === 8) found.set(name, inflateRawSync(data));
    else throw new Error(`${zipPath}: entry ${name} uses unsupported compression method ${method}`);
  }
  const missing = wanted.filter((w) => !found.has(w));
  if (missing.length > 0) throw new Error(`${zipPath}: no entry ${missing.join(', ')}`);
  return found;
}
