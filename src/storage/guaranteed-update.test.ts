import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from './embedded/index.ts';
import { deleteWithPrecondition, guaranteedUpdate } from './guaranteed-update.ts';
import { isStorageError, type KeyValue, type Store } from './types.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (kv: KeyValue | undefined) => (kv ? new TextDecoder().decode(kv.value) : undefined);
const increment = (kv: KeyValue | undefined) => bytes(String(Number(text(kv) ?? '0') + 1));

describe('guaranteedUpdate', () => {
  let dataDir: string;
  let store: Store;
  let n = 0;
  const key = () => `/registry/test/guaranteed/${n++}`;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wharf-guaranteed-'));
    store = await createEmbeddedStore({ dataDir });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates an absent key', async () => {
    const k = key();
    const kv = await guaranteedUpdate(store, k, (current) => (current ? undefined : bytes('first')));
    expect(text(kv)).toBe('first');
    expect(kv?.version).toBe(1);
  });

  it('loses no increment when many run at once', async () => {
    const k = key();
    await Promise.all(Array.from({ length: 25 }, () => guaranteedUpdate(store, k, increment)));
    expect(text((await store.get(k)).kv)).toBe('25');
  });

  it('retries from the stored value when the suggestion is stale', async () => {
    const k = key();
    const stale = await store.create(k, bytes('1'));
    await store.update(k, bytes('5'), stale.modRevision);
    const seen: (string | undefined)[] = [];
    const kv = await guaranteedUpdate(
      store,
      k,
      (current) => {
        seen.push(text(current));
        return increment(current);
      },
      { suggestion: stale },
    );
    expect(seen).toEqual(['1', '5']);
    expect(text(kv)).toBe('6');
  });

  it('writes nothing when the mutation returns undefined, confirming a guessed state first', async () => {
    const k = key();
    const stale = await store.create(k, bytes('a'));
    const now = await store.update(k, bytes('b'), stale.modRevision);
    const kv = await guaranteedUpdate(store, k, () => undefined, { suggestion: stale });
    expect(kv?.modRevision).toBe(now.modRevision);
    expect((await store.get(k)).kv?.modRevision).toBe(now.modRevision);
  });

  it('passes on what the mutation throws', async () => {
    const k = key();
    await expect(
      guaranteedUpdate(store, k, () => {
        throw new Error('precondition failed');
      }),
    ).rejects.toThrow('precondition failed');
  });

  it('gives up with Conflict after maxAttempts', async () => {
    const k = key();
    let kv = await store.create(k, bytes('0'));
    const error = await guaranteedUpdate(
      store,
      k,
      async (current) => {
        // Someone else always writes in between.
        kv = await store.update(k, bytes('other'), kv.modRevision);
        return increment(current);
      },
      { maxAttempts: 3 },
    ).catch((err: unknown) => err);
    expect(isStorageError(error, 'Conflict')).toBe(true);
  });
});

describe('deleteWithPrecondition', () => {
  let dataDir: string;
  let store: Store;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wharf-delete-'));
    store = await createEmbeddedStore({ dataDir });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deletes when the check accepts and returns the deleted pair', async () => {
    await store.create('/d/a', bytes('uid-1'));
    const deleted = await deleteWithPrecondition(store, '/d/a', (kv) => {
      if (text(kv) !== 'uid-1') throw new Error('uid mismatch');
    });
    expect(text(deleted)).toBe('uid-1');
    expect((await store.get('/d/a')).kv).toBeUndefined();
  });

  it('keeps the key when the check refuses', async () => {
    await store.create('/d/b', bytes('uid-2'));
    await expect(
      deleteWithPrecondition(store, '/d/b', () => {
        throw new Error('uid mismatch');
      }),
    ).rejects.toThrow('uid mismatch');
    expect(text((await store.get('/d/b')).kv)).toBe('uid-2');
  });

  it('re-checks when the key changes between check and delete', async () => {
    const created = await store.create('/d/c', bytes('v1'));
    const checked: (string | undefined)[] = [];
    const deleted = await deleteWithPrecondition(store, '/d/c', async (kv) => {
      checked.push(text(kv));
      if (checked.length === 1) await store.update('/d/c', bytes('v2'), created.modRevision);
    });
    expect(checked).toEqual(['v1', 'v2']);
    expect(text(deleted)).toBe('v2');
  });

  it('fails with NotFound for an absent key', async () => {
    const error = await deleteWithPrecondition(store, '/d/none', () => {}).catch((err: unknown) => err);
    expect(isStorageError(error, 'NotFound')).toBe(true);
  });
});
