import { describe, expect, it } from 'vitest';
import { OrderedKeys } from './ordered-keys.ts';

function keysOf(members: Set<string>) {
  return new OrderedKeys((key) => members.has(key));
}

describe('OrderedKeys', () => {
  it('ranges over a prefix in ascending order, after an exclusive start key', () => {
    const members = new Set(['/a/2', '/a/1', '/b/1', '/a/3', '/ab']);
    const keys = keysOf(members);
    for (const key of members) keys.add(key);
    expect([...keys.range('/a/')]).toEqual(['/a/1', '/a/2', '/a/3']);
    expect([...keys.range('/a/', '/a/1')]).toEqual(['/a/2', '/a/3']);
    expect([...keys.range('/a/', '/0')]).toEqual(['/a/1', '/a/2', '/a/3']);
    expect([...keys.range('/')]).toEqual(['/a/1', '/a/2', '/a/3', '/ab', '/b/1']);
  });

  it('drops removed keys and keeps re-added ones exactly once', () => {
    const members = new Set(['/k1', '/k2']);
    const keys = keysOf(members);
    keys.add('/k1');
    keys.add('/k2');
    expect(keys.size).toBe(2);
    members.delete('/k1');
    keys.noteRemoval();
    expect([...keys.range('/')]).toEqual(['/k2']);
    members.add('/k1');
    keys.add('/k1');
    keys.add('/k2');
    expect([...keys.range('/')]).toEqual(['/k1', '/k2']);
  });
});

describe('OrderedKeys with pending keys outside the range', () => {
  it('answers a range from the sorted keys, skipping removed ones, and merges when a pending key is inside', () => {
    const members = new Set(['/a/1', '/a/2', '/b/1']);
    const keys = keysOf(members);
    for (const key of members) keys.add(key);
    expect([...keys.range('/a/')]).toEqual(['/a/1', '/a/2']);
    // A removal in range and a pending add elsewhere: no merge needed, the removed key is skipped.
    members.delete('/a/1');
    keys.noteRemoval();
    members.add('/b/2');
    keys.add('/b/2');
    expect([...keys.range('/a/')]).toEqual(['/a/2']);
    // The removed key comes back while it is still in the sorted array: listed once, not twice.
    members.add('/a/1');
    keys.add('/a/1');
    expect([...keys.range('/a/')]).toEqual(['/a/1', '/a/2']);
    expect([...keys.range('/b/')]).toEqual(['/b/1', '/b/2']);
    expect([...keys.range('/')]).toEqual(['/a/1', '/a/2', '/b/1', '/b/2']);
  });
});

describe('OrderedKeys without reads', () => {
  it('stays correct when many adds trigger merges on their own', () => {
    const members = new Set<string>();
    const keys = new OrderedKeys((key) => members.has(key));
    for (let i = 0; i < 5000; i++) {
      const key = `/k/${String((i * 7919) % 5000).padStart(4, '0')}`;
      members.add(key);
      keys.add(key);
      if (i % 3 === 0) {
        members.delete(key);
        keys.noteRemoval();
      }
    }
    expect([...keys.range('/k/')]).toEqual([...members].sort());
  });
});

describe('OrderedKeys merging', () => {
  it('matches a sorted set under random adds, re-adds, removals and reads', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const members = new Set<string>();
    const keys = new OrderedKeys((key) => members.has(key));
    for (let step = 0; step < 20_000; step++) {
      // Runs of ascending names (as generated names often are) mixed with random ones.
      const key = `/registry/pods/ns/${random(4) === 0 ? String(step).padStart(6, '0') : String(random(3000)).padStart(6, '0')}`;
      if (random(5) === 0 && members.delete(key)) keys.noteRemoval();
      else {
        members.add(key);
        keys.add(key);
      }
      if (random(500) === 0) expect([...keys.range('/registry/pods/')]).toEqual([...members].sort());
    }
    expect([...keys.range('/registry/pods/ns/0001')]).toEqual(
      [...members].filter((k) => k.startsWith('/registry/pods/ns/0001')).sort(),
    );
    expect([...keys.range('/')]).toEqual([...members].sort());
  });
});
