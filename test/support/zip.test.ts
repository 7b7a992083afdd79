import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readZipEntries } from './zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'wharf-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A zip with the given entries; `stored` ones uncompressed, the others deflated (APPNOTE.TXT layout). */
function zip(entries: { name: string; data: Buffer; stored?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const body = entry.stored ? entry.data : deflateRawSync(entry.data);
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(entry.stored ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.stored ? 0 : 8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('readZipEntries', () => {
  it('reads deflated and stored entries by name', () => {
    const path = join(dir, 'a.zip');
    const big = Buffer.from('kubectl '.repeat(10_000));
    writeFileSync(
      path,
      zip([
        { name: 'kubectl/kubectl', data: big },
        { name: 'README', data: Buffer.from('hi'), stored: true },
      ]),
    );
    const found = readZipEntries(path, ['kubectl/kubectl', 'README']);
    expect(found.get('kubectl/kubectl')?.equals(big)).toBe(true);
    expect(found.get('README')?.toString()).toBe('hi');
  });

  it('names the entry that is missing', () => {
    const path = join(dir, 'b.zip');
    writeFileSync(path, zip([{ name: 'helm/helm', data: Buffer.from('x') }]));
    expect(() => readZipEntries(path, ['kubectl/kubectl'])).toThrow(/no entry kubectl\/kubectl/);
  });

  it('rejects a file that is not a zip', () => {
    const path = join(dir, 'c.zip');
    writeFileSync(path, Buffer.alloc(100));
    expect(() => readZipEntries(path, ['x'])).toThrow(/not a zip file/);
  });
});
