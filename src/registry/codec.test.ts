import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types/meta.ts';
import { createDecoder, encodeObject } from './codec.ts';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default' }, spec: { containers: [] } };
const kv = (modRevision: number) => ({
  key: '/registry/pods/default/a',
  value: encodeObject(pod as unknown as KubeObject),
  createRevision: 1,
  modRevision,
  version: 1,
});

describe('decoder', () => {
  it('shares one frozen object per key and revision', () => {
    const decoder = createDecoder();
    const first = decoder.decode(kv(5));
    expect(decoder.decode(kv(5))).toBe(first);
    expect(Object.isFrozen(first.metadata)).toBe(true);
    expect(first.metadata.resourceVersion).toBe('5');
    expect(decoder.decode(kv(6))).not.toBe(first);
  });

  it('gives read-modify-writes a private mutable copy, whether or not the revision is cached', () => {
    const decoder = createDecoder();
    const parsed = decoder.mutable(kv(5));
    expect(parsed).toEqual({ ...pod, metadata: { ...pod.metadata, resourceVersion: '5' } });
    parsed.metadata.labels = { changed: 'yes' };
    // The parse was not cached, and changing it touched nothing shared.
    expect(decoder.decode(kv(5)).metadata.labels).toBeUndefined();
    const copied = decoder.mutable(kv(5));
    expect(Object.isFrozen(copied)).toBe(false);
    expect(copied).not.toBe(decoder.decode(kv(5)));
    expect(copied).toEqual(decoder.decode(kv(5)));
  });
});
