import { describe, expect, it } from 'vitest';
import { KeySpace, keyAfter, prefixEnd } from './key-space.ts';

const hex = (b: Buffer) => b.toString('hex');

describe('prefixEnd', () => {
  it.each([
    ['/registry/', '/registry0'],
    ['a', 'b'],
  ])('ends the range of %j at %j', (prefix, end) => {
    expect(prefixEnd(Buffer.from(prefix)).toString()).toBe(end);
  });

  it('carries past trailing 0xff bytes', () => {
    expect(hex(prefixEnd(Buffer.from([0x61, 0xff, 0xff])))).toBe('62');
  });

  it('means "to the end" (\\0) when no byte can be incremented', () => {
    expect(hex(prefixEnd(Buffer.from([0xff])))).toBe('00');
    expect(hex(prefixEnd(Buffer.alloc(0)))).toBe('00');
  });
});

describe('KeySpace', () => {
  it('puts keys under its prefix and strips it again', () => {
    const keys = new KeySpace('/wharf-1');
    const etcdKey = keys.toEtcd('/registry/core/pods/default/web');
    expect(etcdKey.toString()).toBe('/wharf-1/registry/core/pods/default/web');
    expect(keys.fromEtcd(etcdKey)).toBe('/registry/core/pods/default/web');
  });

  it('ranges over the whole key space without a prefix', () => {
    const range = new KeySpace().rangeOf('');
    expect([hex(range.key), hex(range.rangeEnd)]).toEqual(['00', '00']);
  });

  it('ranges over a subtree under its prefix', () => {
    const range = new KeySpace('/t').rangeOf('/registry/');
    expect([range.key.toString(), range.rangeEnd.toString()]).toEqual(['/t/registry/', '/t/registry0']);
  });

  it('continues a page right after a key', () => {
    expect(hex(keyAfter(Buffer.from('ab')))).toBe('616200');
  });
});
