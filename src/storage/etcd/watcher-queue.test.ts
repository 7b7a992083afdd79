import { describe, expect, it } from 'vitest';
import { isStorageError, type StoreEvent, type WatchBatch } from '../types.ts';
import { WatcherQueue } from './watcher-queue.ts';

const put = (modRevision: number): StoreEvent => ({
  type: 'put',
  kv: { key: '/k', value: new Uint8Array(0), createRevision: modRevision, modRevision, version: 1 },
});
const batch = (...revisions: number[]): WatchBatch => ({ events: revisions.map(put), revision: revisions.at(-1) ?? 0 });
const never = new AbortController().signal;

describe('WatcherQueue', () => {
  it('hands batches over in the order they were pushed', async () => {
    const queue = new WatcherQueue(10, '/k');
    queue.push(batch(1, 2));
    queue.push(batch(3));
    expect(await queue.take(1_000, never)).toEqual({ kind: 'batch', batch: batch(1, 2) });
    expect(await queue.take(1_000, never)).toEqual({ kind: 'batch', batch: batch(3) });
  });

  it('wakes a waiting taker on push', async () => {
    const queue = new WatcherQueue(10, '/k');
    const taken = queue.take(60_000, never);
    queue.push(batch(7));
    expect(await taken).toEqual({ kind: 'batch', batch: batch(7) });
  });

  it('reports idle when nothing arrives within the interval', async () => {
    const queue = new WatcherQueue(10, '/k');
    expect(await queue.take(1, never)).toEqual({ kind: 'idle' });
  });

  it('fails with WatcherTooSlow once more live events wait than allowed, dropping what was buffered', async () => {
    const queue = new WatcherQueue(3, '/k');
    queue.push(batch(1, 2));
    queue.push(batch(3));
    queue.push(batch(4));
    const error = await queue.take(1_000, never).catch((err: unknown) => err);
    expect(isStorageError(error, 'WatcherTooSlow')).toBe(true);
  });

  it('does not count replayed history toward the bound, and frees room as batches are taken', async () => {
    const queue = new WatcherQueue(2, '/k');
    queue.push(batch(1, 2, 3, 4, 5), true);
    queue.push(batch(6, 7));
    await queue.take(1_000, never);
    await queue.take(1_000, never);
    queue.push(batch(8, 9));
    expect(await queue.take(1_000, never)).toEqual({ kind: 'batch', batch: batch(8, 9) });
  });

  it('ends a waiting taker when its signal aborts, and after end()', async () => {
    const queue = new WatcherQueue(10, '/k');
    const controller = new AbortController();
    const taken = queue.take(60_000, controller.signal);
    controller.abort();
    expect(await taken).toEqual({ kind: 'end' });
    queue.push(batch(1));
    queue.end();
    expect(await queue.take(60_000, never)).toEqual({ kind: 'end' });
  });
});
